import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { UndoConflict } from '@rythm/api-types';
import { type RowLabels, rowLabel } from '../import-report/row-label';
import { tableLabel } from '../text';
import { CONFLICT_REASONS, isOverwritable } from './undo-report';

/** Rows that make an undo unsafe: table, row (label and id), why, and the API's message; rows beyond the list are counted. */
@Component({
  selector: 'app-undo-conflicts-table',
  imports: [MatTableModule, DecimalPipe],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="conflicts()" [attr.data-testid]="testId()" aria-label="Conflicts">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let c">{{ table(c.table) }}</td>
        </ng-container>
        <ng-container matColumnDef="rowId">
          <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
          <td mat-cell *matCellDef="let c" class="row">
            @if (label(c); as text) {
              <span class="label">{{ text }}</span>
            }
            <span class="mono">{{ c.rowId }}</span>
          </td>
        </ng-container>
        <ng-container matColumnDef="reason">
          <th mat-header-cell *matHeaderCellDef scope="col">Reason</th>
          <td mat-cell *matCellDef="let c" [class.blocking]="!overwritable(c)" [attr.data-reason]="c.reason">
            {{ reason(c) }}{{ overwritable(c) ? '' : ' (blocks the undo)' }}
          </td>
        </ng-container>
        <ng-container matColumnDef="message">
          <th mat-header-cell *matHeaderCellDef scope="col">Detail</th>
          <td mat-cell *matCellDef="let c">{{ c.message }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns" [attr.data-testid]="testId() + '-row'"></tr>
      </table>
    </div>
    @if (more() > 0) {
      <p class="more" [attr.data-testid]="testId() + '-more'">
        The list shows the first {{ conflicts().length | number }}; {{ more() | number }} more {{ more() === 1 ? 'row conflicts' : 'rows conflict' }} too.
      </p>
    }
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .row {
      min-width: 180px;
    }
    .label {
      display: block;
      font-weight: 500;
    }
    .mono {
      display: block;
      font-family: ui-monospace, monospace;
      font-size: 12px;
      overflow-wrap: anywhere;
      color: var(--mat-sys-on-surface-variant);
    }
    .blocking {
      color: var(--mat-sys-error);
      font-weight: 500;
    }
    .more {
      margin: 8px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UndoConflictsTableComponent {
  readonly conflicts = input.required<UndoConflict[]>();
  readonly more = input(0);
  readonly labels = input<RowLabels | null | undefined>(null);
  readonly testId = input('undo-conflicts');
  protected readonly columns = ['table', 'rowId', 'reason', 'message'];
  protected readonly table = tableLabel;
  protected readonly overwritable = isOverwritable;
  protected reason(c: UndoConflict): string {
    return CONFLICT_REASONS[c.reason] ?? c.reason;
  }
  protected label(c: UndoConflict): string | null {
    return rowLabel(this.labels(), c.table, c.rowId);
  }
}
