import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { FieldDiff } from '@rythm/api-types';

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Sample of the updates: one line per changed field, before → after. */
@Component({
  selector: 'app-diffs-table',
  imports: [MatTableModule],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="diffs()" [attr.data-testid]="testId()" aria-label="Sample changes">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let d">{{ d.table }}</td>
        </ng-container>
        <ng-container matColumnDef="rowId">
          <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
          <td mat-cell *matCellDef="let d" class="mono">{{ d.rowId }}</td>
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
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .mono {
      font-family: ui-monospace, monospace;
      font-size: 12px;
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
  readonly testId = input('diffs-table');
  protected readonly columns = ['table', 'rowId', 'field', 'before', 'after'];
  protected readonly show = show;
}
