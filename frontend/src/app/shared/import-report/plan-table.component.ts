import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { TablePlan } from '@rythm/api-types';

/** Per table: rows to insert, update, leave unchanged, delete, skip (dry-run plan or applied result). */
@Component({
  selector: 'app-plan-table',
  imports: [MatTableModule, DecimalPipe],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="plan()" [attr.data-testid]="testId()" [attr.aria-label]="caption()">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let row">{{ row.table }}</td>
          <td mat-footer-cell *matFooterCellDef><strong>Total</strong></td>
        </ng-container>
        @for (column of counts; track column.key) {
          <ng-container [matColumnDef]="column.key">
            <th mat-header-cell *matHeaderCellDef scope="col" class="num">{{ column.label }}</th>
            <td mat-cell *matCellDef="let row" class="num" [attr.data-testid]="testId() + '-' + row.table + '-' + column.key">
              {{ row[column.key] | number }}
            </td>
            <td mat-footer-cell *matFooterCellDef class="num">
              <strong>{{ totals()[column.key] | number }}</strong>
            </td>
          </ng-container>
        }
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
        <tr mat-footer-row *matFooterRowDef="columns"></tr>
      </table>
    </div>
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .num {
      text-align: right;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlanTableComponent {
  readonly plan = input.required<TablePlan[]>();
  readonly testId = input('plan-table');
  readonly caption = input('Import plan per table');

  protected readonly counts = [
    { key: 'insert', label: 'Insert' },
    { key: 'update', label: 'Update' },
    { key: 'unchanged', label: 'Unchanged' },
    { key: 'delete', label: 'Delete' },
    { key: 'skip', label: 'Skip' },
  ] as const;
  protected readonly columns = ['table', ...this.counts.map((c) => c.key)];
  protected readonly totals = computed(() => {
    const sum = { insert: 0, update: 0, unchanged: 0, delete: 0, skip: 0 };
    for (const row of this.plan()) {
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += row[key];
    }
    return sum;
  });
}
