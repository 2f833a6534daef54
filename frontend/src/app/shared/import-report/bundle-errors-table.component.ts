import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { BundleError } from '@rythm/api-types';

/** Validation errors of a bundle: which table, row and field, and what was expected. */
@Component({
  selector: 'app-bundle-errors-table',
  imports: [MatTableModule, DecimalPipe],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="errors()" [attr.data-testid]="testId()" aria-label="Validation errors">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let e">{{ e.table ?? '—' }}</td>
        </ng-container>
        <ng-container matColumnDef="rowId">
          <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
          <td mat-cell *matCellDef="let e" class="mono">{{ e.rowId ?? '—' }}</td>
        </ng-container>
        <ng-container matColumnDef="field">
          <th mat-header-cell *matHeaderCellDef scope="col">Field</th>
          <td mat-cell *matCellDef="let e">{{ e.field ?? '—' }}</td>
        </ng-container>
        <ng-container matColumnDef="message">
          <th mat-header-cell *matHeaderCellDef scope="col">Problem</th>
          <td mat-cell *matCellDef="let e">{{ e.message }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
    </div>
    @if (moreErrors() > 0) {
      <p class="more" [attr.data-testid]="testId() + '-more'">… and {{ moreErrors() | number }} more errors not listed.</p>
    }
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .mono {
      font-family: ui-monospace, monospace;
      font-size: 12px;
      overflow-wrap: anywhere;
    }
    .more {
      margin: 8px 0;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BundleErrorsTableComponent {
  readonly errors = input.required<BundleError[]>();
  readonly moreErrors = input(0);
  readonly testId = input('errors-table');
  protected readonly columns = ['table', 'rowId', 'field', 'message'];
}
