import {
  ChangeDetectionStrategy,
  Component,
  type WritableSignal,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  output,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { JobView, UndoReport } from '@rythm/api-types';
import { ApiClient } from '../../core/api/api-client';
import { describeError } from '../../core/errors/error-message';
import { ErrorPanelComponent } from '../error-panel.component';
import { JobProgressComponent } from '../job-progress.component';
import { JobRun } from '../job-run';
import { plural } from '../text';
import { UndoConflictsTableComponent } from './undo-conflicts-table.component';
import { UndoPlanTableComponent } from './undo-plan-table.component';
import { asUndoReport, conflictCounts, undoDecision, undoPlanSentence } from './undo-report';

/**
 * Undo an import (or redo it by undoing its undo), the one implementation that the wizard, the
 * job pages and the backups page share: always a dry-run undo first, then its plan and conflicts,
 * then the person's confirmation (with force for rows changed since, never for rows that block),
 * then the undo itself and its outcome, with a redo.
 */
@Component({
  selector: 'app-undo-flow',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatIconModule,
    MatProgressBarModule,
    ErrorPanelComponent,
    JobProgressComponent,
    UndoPlanTableComponent,
    UndoConflictsTableComponent,
  ],
  templateUrl: './undo-flow.component.html',
  styleUrl: './undo-flow.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UndoFlowComponent {
  private readonly api = inject(ApiClient);

  /** The applied import job to undo, or an applied undo job (undoing it redoes the import). */
  readonly jobId = input.required<string>();
  /** Whether `jobId` is an undo job: the words then say "redo". */
  readonly redo = input(false);
  /** Start the check at once (a dialog); otherwise a button starts it (the wizard's result). */
  readonly autoStart = input(false);
  /** Emitted once an undo (or redo) has been applied. */
  readonly undone = output<UndoReport>();

  /** What the flow undoes now: the input, until a redo points it at the undo just made. */
  protected readonly target = linkedSignal(() => ({ jobId: this.jobId(), redo: this.redo() }));
  protected readonly started = linkedSignal(() => this.autoStart());

  protected readonly preview = new JobRun();
  protected readonly previewReport = signal<UndoReport | null>(null);
  protected readonly previewError = signal<string | null>(null);
  protected readonly run = new JobRun();
  protected readonly runReport = signal<UndoReport | null>(null);
  protected readonly runError = signal<string | null>(null);
  protected readonly force = signal(false);

  protected readonly verb = computed(() => (this.target().redo ? 'Redo the import' : 'Undo the import'));
  protected readonly decision = computed(() => {
    const report = this.previewReport();
    return report ? undoDecision(report) : null;
  });
  protected readonly counts = computed(() => {
    const report = this.previewReport();
    return report ? conflictCounts(report) : null;
  });
  protected readonly overwriteText = computed(() => `Overwrite the ${plural(this.counts()?.total ?? 0, 'changed row')}`);
  protected readonly previewSentence = computed(() => {
    const report = this.previewReport();
    return report ? undoPlanSentence(report.plan, false) : '';
  });
  protected readonly canConfirm = computed(() => {
    const decision = this.decision();
    if (decision === null || decision === 'blocked' || this.preview.busy()) return false;
    if (this.run.busy() || this.run.job() !== null) return false;
    return decision === 'undo' || this.force();
  });
  /** The undo ran and wrote its changes. */
  protected readonly applied = computed(() => this.run.succeeded() && this.runReport()?.applied === true);
  /** A refused undo (CONFLICT) lists what refused it. */
  protected readonly runConflicts = computed(() => {
    const report = this.runReport();
    return !this.run.succeeded() && report && report.conflicts.length > 0 ? report : null;
  });
  readonly busy = computed(() => this.preview.busy() || this.run.busy());

  constructor() {
    // A dialog starts the check at once (once: the check's own signals are not tracked).
    effect(() => {
      if (this.autoStart()) untracked(() => this.check());
    });
  }

  /** The dry-run undo: what the undo would do, and what stands in its way. */
  check(): void {
    this.started.set(true);
    this.previewReport.set(null);
    this.previewError.set(null);
    this.run.reset();
    this.runReport.set(null);
    this.runError.set(null);
    this.force.set(false);
    this.preview.run(this.api.undoImport(this.target().jobId, { dryRun: true }), (job) => this.loadReport(job, this.previewReport, this.previewError));
  }

  protected confirm(): void {
    if (!this.canConfirm()) return;
    const force = this.decision() === 'force';
    this.runReport.set(null);
    this.runError.set(null);
    this.run.run(this.api.undoImport(this.target().jobId, force ? { dryRun: false, force: true } : { dryRun: false }), (job) =>
      this.loadReport(job, this.runReport, this.runError, (report) => {
        if (job.status === 'succeeded' && report?.applied) this.undone.emit(report);
      }),
    );
  }

  /** Undo the undo just made: the import is applied again (through the undo's own change set). */
  protected redoLast(): void {
    const job = this.run.job();
    if (!job || !this.applied()) return;
    this.target.set({ jobId: job.id, redo: !this.target().redo });
    this.check();
  }

  private loadReport(
    job: JobView,
    into: WritableSignal<UndoReport | null>,
    problem: WritableSignal<string | null>,
    then?: (report: UndoReport | null) => void,
  ): void {
    if (job.status === 'cancelled') {
      problem.set('The job was cancelled: nothing was changed.');
      then?.(null);
      return;
    }
    // The job's result is the report; GET …/undo-report reads it back when the view left it out.
    const fromResult = asUndoReport(job.result);
    if (fromResult) {
      into.set(fromResult);
      if (job.status === 'failed') problem.set(job.error?.message ?? 'The undo failed: nothing was changed.');
      then?.(fromResult);
      return;
    }
    this.api.undoReport(job.id, { silent: true }).subscribe({
      next: (report) => {
        into.set(report);
        if (job.status === 'failed') problem.set(job.error?.message ?? 'The undo failed: nothing was changed.');
        then?.(report);
      },
      error: (error: unknown) => {
        problem.set(job.error?.message ?? describeError(error));
        then?.(null);
      },
    });
  }
}
