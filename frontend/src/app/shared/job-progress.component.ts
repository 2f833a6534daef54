import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { JobView } from '@rythm/api-types';
import { isTerminal, jobPercent } from '../core/jobs/job-progress.service';
import { describeJobOutcome, describeJobProgress } from './job-text';
import { JobStatusComponent } from './job-status.component';

/**
 * A job's live state: status, phase, current table, rows done / total, and a progress bar. Once
 * the job has ended the bar goes and one sentence says what was done (or why it failed).
 */
@Component({
  selector: 'app-job-progress',
  imports: [MatProgressBarModule, JobStatusComponent],
  template: `
    @let j = job();
    <div class="job" [attr.data-testid]="testId()" [attr.data-status]="j.status" aria-live="polite">
      <div class="line">
        <app-job-status [status]="j.status" [testId]="testId() + '-status'" />
        @if (done()) {
          <span class="outcome" [class.failed]="j.status === 'failed'" [attr.data-testid]="testId() + '-outcome'">{{ outcome() }}</span>
        } @else {
          <span class="phase" [attr.data-testid]="testId() + '-phase'">{{ progressText() }}</span>
        }
      </div>
      @if (!done()) {
        <mat-progress-bar [mode]="barMode()" [value]="percent() ?? 0" [attr.aria-label]="label() + ': ' + j.status" [attr.data-testid]="testId() + '-bar'" />
      }
    </div>
  `,
  styles: `
    .job {
      display: flex;
      flex-direction: column;
      gap: 6px;
      margin: 8px 0;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      font-size: 14px;
    }
    .phase {
      color: var(--mat-sys-on-surface-variant);
    }
    .outcome.failed {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobProgressComponent {
  readonly job = input.required<JobView>();
  readonly testId = input('job-progress');
  readonly label = input('Progress');

  protected readonly done = computed(() => isTerminal(this.job().status));
  protected readonly percent = computed(() => jobPercent(this.job()));
  protected readonly progressText = computed(() => describeJobProgress(this.job()));
  protected readonly outcome = computed(() => describeJobOutcome(this.job()));
  protected readonly barMode = computed(() => {
    if (this.job().status === 'queued') return 'query';
    return this.percent() === null ? 'indeterminate' : 'determinate';
  });
}
