import { ChangeDetectionStrategy, Component, computed, input, linkedSignal } from '@angular/core';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import type { FieldDiff } from '@rythm/api-types';
import { tableLabel } from '../text';
import { type RowLabels, rowLabel } from './row-label';

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The field-level changes of the updated rows: one line per field, before → after, a page at a time. */
@Component({
  selector: 'app-diffs-table',
  imports: [MatTableModule, MatPaginatorModule],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="pageRows()" [attr.data-testid]="testId()" aria-label="Field changes">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let d">{{ table(d.table) }}</td>
        </ng-container>
        <ng-container matColumnDef="rowId">
          <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
          <td mat-cell *matCellDef="let d" class="row">
            @if (label(d); as text) {
              <span class="label" data-testid="row-label">{{ text }}</span>
            }
            <span class="mono">{{ d.rowId }}</span>
          </td>
        </ng-container>
        <ng-container matColumnDef="field">
          <th mat-header-cell *matHeaderCellDef scope="col">Field</th>
          <td mat-cell *matCellDef="let d">{{ d.field }}</td>
        </ng-container>
        <ng-container matColumnDef="before">
          <th mat-header-cell *matHeaderCellDef scope="col">Before</th>
          <td mat-cell *matCellDef="let d" class="before">{{ show(d.before) }}</td>
        </ng-container>
        <ng-container matColumnDef="after">
          <th mat-header-cell *matHeaderCellDef scope="col">After</th>
          <td mat-cell *matCellDef="let d" class="after">{{ show(d.after) }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
    </div>
    @if (diffs().length > 10) {
      <mat-paginator
        [length]="diffs().length"
        [pageIndex]="pageIndex()"
        [pageSize]="pageSize()"
        [pageSizeOptions]="[10, 25, 100]"
        (page)="onPage($event)"
        aria-label="Pages of field changes"
        [attr.data-testid]="testId() + '-paginator'"
      />
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
    .before,
    .after {
      overflow-wrap: anywhere;
      max-width: 240px;
    }
    .before {
      color: var(--mat-sys-error);
      text-decoration: line-through;
    }
    .after {
      color: #0b5320;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DiffsTableComponent {
  readonly diffs = input.required<FieldDiff[]>();
  readonly labels = input<RowLabels | null | undefined>(null);
  readonly testId = input('diffs-table');
  protected readonly columns = ['table', 'rowId', 'field', 'before', 'after'];
  protected readonly show = show;
  protected readonly table = tableLabel;
  protected readonly pageSize = linkedSignal({ source: this.diffs, computation: (): number => 10 });
  /** A new report starts on its first page. */
  protected readonly pageIndex = linkedSignal({ source: this.diffs, computation: (): number => 0 });
  protected readonly pageRows = computed(() => {
    const start = this.pageIndex() * this.pageSize();
    return this.diffs().slice(start, start + this.pageSize());
  });

  protected label(d: FieldDiff): string | null {
    return rowLabel(this.labels(), d.table, d.rowId);
  }

  protected onPage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
  }
}
