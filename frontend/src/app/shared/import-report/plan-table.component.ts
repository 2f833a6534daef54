import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import type { TablePlan } from '@rythm/api-types';
import { plural, tableLabel } from '../text';

/** A table changes when the import inserts, updates or deletes any of its rows. */
export function changes(row: TablePlan): boolean {
  return row.insert + row.update + row.delete > 0;
}

/**
 * Per table: rows to insert, update, leave unchanged, delete, skip (dry-run plan or applied
 * result). The tables that change come first and stand out; the others fold behind a count.
 */
@Component({
  selector: 'app-plan-table',
  imports: [MatTableModule, MatButtonModule, DecimalPipe],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="rows()" [attr.data-testid]="testId()" [attr.aria-label]="caption()">
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
              [class.nonzero]="column.change && row[column.key] > 0"
              [class]="column.key"
              [attr.data-testid]="testId() + '-' + row.table + '-' + column.key"
            >
              {{ row[column.key] | number }}
            </td>
            <td mat-footer-cell *matFooterCellDef class="num">
              <strong>{{ totals()[column.key] | number }}</strong>
            </td>
          </ng-container>
        }
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns" [class.changed]="isChanged(row)" [attr.data-changed]="isChanged(row)"></tr>
        <tr mat-footer-row *matFooterRowDef="columns"></tr>
      </table>
    </div>
    @if (unchangedCount() > 0) {
      <button mat-button type="button" (click)="showAll.set(!showAll())" [attr.aria-expanded]="showAll()" [attr.data-testid]="testId() + '-toggle'">
        {{ showAll() ? 'Hide' : 'Show' }} {{ unchangedText() }}
      </button>
    }
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    tr.changed td:first-child {
      font-weight: 600;
      box-shadow: inset 4px 0 0 var(--mat-sys-primary);
    }
    tr:not(.changed) td {
      color: var(--mat-sys-on-surface-variant);
    }
    td.nonzero {
      font-weight: 600;
    }
    td.nonzero.delete {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlanTableComponent {
  readonly plan = input.required<TablePlan[]>();
  readonly testId = input('plan-table');
  readonly caption = input('Import plan per table');

  protected readonly counts = [
    { key: 'insert', label: 'Insert', change: true },
    { key: 'update', label: 'Update', change: true },
    { key: 'unchanged', label: 'Unchanged', change: false },
    { key: 'delete', label: 'Delete', change: true },
    { key: 'skip', label: 'Skip', change: false },
  ] as const;
  protected readonly columns = ['table', ...this.counts.map((c) => c.key)];
  protected readonly label = tableLabel;
  protected readonly isChanged = changes;
  protected readonly showAll = signal(false);
  protected readonly unchangedCount = computed(() => this.plan().filter((row) => !changes(row)).length);
  protected readonly unchangedText = computed(() => plural(this.unchangedCount(), 'table without changes', 'tables without changes'));
  protected readonly rows = computed(() => {
    const changed = this.plan().filter(changes);
    return this.showAll() || changed.length === 0 ? [...changed, ...this.plan().filter((row) => !changes(row))] : changed;
  });
  protected readonly totals = computed(() => {
    const sum = { insert: 0, update: 0, unchanged: 0, delete: 0, skip: 0 };
    for (const row of this.plan()) {
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += row[key];
    }
    return sum;
  });
}
