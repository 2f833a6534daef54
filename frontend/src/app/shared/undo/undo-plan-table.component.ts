import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { UndoTablePlan } from '@rythm/api-types';
import { tableLabel } from '../text';
import { undoTotals } from './undo-report';

/** Per table, what an undo does: rows the import inserted that it deletes, updated rows it puts back, deleted rows it inserts again. */
@Component({
  selector: 'app-undo-plan-table',
  imports: [MatTableModule, DecimalPipe],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="plan()" [attr.data-testid]="testId()" [attr.aria-label]="caption()">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let row">{{ label(row.table) }}</td>
          <td mat-footer-cell *matFooterCellDef><strong>Total</strong></td>
        </ng-container>
        @for (column of counts; track column.key) {
          <ng-container [matColumnDef]="column.key">
            <th mat-header-cell *matHeaderCellDef scope="col" class="num">{{ column.label }}</th>
            <td
              mat-cell
              *matCellDef="let row"
              class="num"
              [class.nonzero]="row[column.key] > 0"
              [attr.data-testid]="testId() + '-' + row.table + '-' + column.key"
            >
              {{ row[column.key] | number }}
            </td>
            <td mat-footer-cell *matFooterCellDef class="num" [attr.data-testid]="testId() + '-total-' + column.key">
              <strong>{{ totals()[column.key] | number }}</strong>
            </td>
          </ng-container>
        }
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
        <tr mat-footer-row *matFooterRowDef="columns"></tr>
        <tr class="mat-mdc-row" *matNoDataRow>
          <td class="mat-mdc-cell" [attr.colspan]="columns.length">Nothing to undo: the import changed no rows.</td>
        </tr>
      </table>
    </div>
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    td.nonzero {
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UndoPlanTableComponent {
  readonly plan = input.required<UndoTablePlan[]>();
  readonly testId = input('undo-plan');
  readonly caption = input('What the undo does per table');

  protected readonly counts = [
    { key: 'delete', label: 'Delete (inserted by the import)' },
    { key: 'restore', label: 'Put back (updated by the import)' },
    { key: 'reinsert', label: 'Insert again (deleted by the import)' },
  ] as const;
  protected readonly columns = ['table', ...this.counts.map((c) => c.key)];
  protected readonly label = tableLabel;
  protected readonly totals = computed(() => undoTotals(this.plan()));
}
