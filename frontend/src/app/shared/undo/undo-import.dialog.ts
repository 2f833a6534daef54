import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, type MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { type Observable, map } from 'rxjs';
import { UndoFlowComponent } from './undo-flow.component';

export interface UndoImportDialogData {
  /** The import job to undo, or an undo job to undo (which redoes its import). */
  jobId: string;
  redo: boolean;
}

/** The undo flow in a dialog, for the job pages and the backups page; closes with true once something was undone. */
@Component({
  selector: 'app-undo-import-dialog',
  imports: [MatDialogModule, MatButtonModule, UndoFlowComponent],
  template: `
    <h2 mat-dialog-title>{{ data.redo ? 'Redo the import' : 'Undo the import' }}</h2>
    <mat-dialog-content>
      <p>
        Job <code>{{ data.jobId }}</code>:
        {{ data.redo ? 'its undo is taken back, so the import applies again.' : 'what it inserted is deleted, what it updated or deleted is put back.' }}
      </p>
      <app-undo-flow [jobId]="data.jobId" [redo]="data.redo" [autoStart]="true" (undone)="changed.set(true)" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="close()" [disabled]="flow().busy()" data-testid="undo-dialog-close">Close</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UndoImportDialog {
  private readonly dialogRef = inject<MatDialogRef<UndoImportDialog, boolean>>(MatDialogRef);
  protected readonly data = inject<UndoImportDialogData>(MAT_DIALOG_DATA);
  protected readonly flow = viewChild.required(UndoFlowComponent);
  protected readonly changed = signal(false);

  constructor() {
    // Closing always goes through close(), so that the caller learns whether data changed; Escape
    // still closes, except while a job runs (its outcome is shown here).
    this.dialogRef.disableClose = true;
    this.dialogRef
      .keydownEvents()
      .pipe(takeUntilDestroyed())
      .subscribe((event) => {
        if (event.key === 'Escape') this.close();
      });
  }

  protected close(): void {
    if (this.flow().busy()) return;
    this.dialogRef.close(this.changed());
  }
}

/** Opens the undo dialog; emits true when an undo (or redo) was applied. */
export function openUndoDialog(dialog: MatDialog, data: UndoImportDialogData): Observable<boolean> {
  return dialog
    .open<UndoImportDialog, UndoImportDialogData, boolean>(UndoImportDialog, { data, width: '760px', maxWidth: '95vw' })
    .afterClosed()
    .pipe(map((result) => result === true));
}
