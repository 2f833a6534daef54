import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { JobStatus } from '@rythm/api-types';

const LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A coloured status label; the text carries the meaning, colour only helps. */
@Component({
  selector: 'app-job-status',
  template: `<span class="status" [class]="status()" [attr.data-testid]="testId() || null">{{ labels[status()] }}</span>`,
  styles: `
    .status {
      display: inline-block;
      padding: 2px 8px;
      border-radius: 12px;
      font-size: 12px;
      font-weight: 500;
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
      white-space: nowrap;
    }
    .running,
    .queued {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .succeeded {
      background: #d7f5dd;
      color: #0b5320;
    }
    .failed {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobStatusComponent {
  readonly status = input.required<JobStatus>();
  readonly testId = input('');
  protected readonly labels = LABELS;
}
