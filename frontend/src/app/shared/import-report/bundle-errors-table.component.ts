import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { BundleError } from '@rythm/api-types';
import { tableLabel } from '../text';
import { type RowLabels, rowLabel } from './row-label';

/** Validation errors of a bundle: which table, row (what a person recognises, then its id) and field, and what was expected. */
@Component({
  selector: 'app-bundle-errors-table',
  imports: [MatTableModule, DecimalPipe],
  template: `
    <div class="scroll">
      <table mat-table [dataSource]="errors()" [attr.data-testid]="testId()" aria-label="Validation errors">
        <ng-container matColumnDef="table">
          <th mat-header-cell *matHeaderCellDef scope="col">Table</th>
          <td mat-cell *matCellDef="let e">{{ table(e.table) }}</td>
        </ng-container>
        <ng-container matColumnDef="rowId">
          <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
          <td mat-cell *matCellDef="let e" class="row">
            @if (label(e); as text) {
              <span class="label" data-testid="row-label">{{ text }}</span>
            }
            <span class="mono">{{ e.rowId ?? '—' }}</span>
          </td>
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
      <p class="more" [attr.data-testid]="testId() + '-more'">
        The page lists the first {{ errors().length | number }}; {{ moreErrors() | number }} more are in the CSV.
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
    .more {
      margin: 8px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BundleErrorsTableComponent {
  readonly errors = input.required<BundleError[]>();
  readonly moreErrors = input(0);
  readonly labels = input<RowLabels | null | undefined>(null);
  readonly testId = input('errors-table');
  protected readonly columns = ['table', 'rowId', 'field', 'message'];
  protected readonly table = tableLabel;
  protected label(e: BundleError): string | null {
    return rowLabel(this.labels(), e.table, e.rowId);
  }
}
