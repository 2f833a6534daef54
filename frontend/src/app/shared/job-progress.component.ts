import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { DecimalPipe } from '@angular/common';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { JobView } from '@rythm/api-types';
import { isTerminal, jobPercent } from '../core/jobs/job-progress.service';
import { JobStatusComponent } from './job-status.component';

/** A job's live state: status, phase, current table, rows done / total, and a progress bar. */
@Component({
  selector: 'app-job-progress',
  imports: [MatProgressBarModule, DecimalPipe, JobStatusComponent],
  template: `
    @let j = job();
    <div class="job" [attr.data-testid]="testId()" [attr.data-status]="j.status" aria-live="polite">
      <div class="line">
        <app-job-status [status]="j.status" [testId]="testId() + '-status'" />
        @if (j.progress; as p) {
          <span class="phase" [attr.data-testid]="testId() + '-phase'">
            {{ p.phase }}
            @if (p.table) {
              · {{ p.table }}
            }
          </span>
          <span class="rows">
            {{ p.rowsDone | number }}
            @if (p.rowsTotal) {
              / {{ p.rowsTotal | number }}
            }
            rows
          </span>
        }
      </div>
      <mat-progress-bar [mode]="barMode()" [value]="percent() ?? 0" [attr.aria-label]="label() + ': ' + j.status" [attr.data-testid]="testId() + '-bar'" />
      @if (j.error; as e) {
        <p class="error" role="alert" [attr.data-testid]="testId() + '-error'">{{ e.message }}</p>
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
    .rows {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobProgressComponent {
  readonly job = input.required<JobView>();
  readonly testId = input('job-progress');
  readonly label = input('Progress');

  protected readonly percent = computed(() => jobPercent(this.job()));
  protected readonly barMode = computed(() => {
    const job = this.job();
    if (job.status === 'queued') return 'query';
    if (isTerminal(job.status)) return 'determinate';
    return this.percent() === null ? 'indeterminate' : 'determinate';
  });
}
