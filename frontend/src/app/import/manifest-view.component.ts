import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { BytesPipe } from '../shared/bytes.pipe';
import type { ManifestInfo } from './manifest-reader';

const FORMAT_LABELS = { json: 'JSON', sql: 'SQL', csv: 'CSV (zip)' } as const;

/** What the browser could read of a bundle before upload. */
@Component({
  selector: 'app-manifest-view',
  imports: [DatePipe, DecimalPipe, BytesPipe],
  template: `
    @let i = info();
    <div class="manifest" [attr.data-testid]="testId()">
      <dl>
        <dt>File</dt>
        <dd [attr.data-testid]="testId() + '-file'">{{ i.fileName }} · {{ i.sizeBytes | bytes }}</dd>
        <dt>Format</dt>
        <dd [attr.data-testid]="testId() + '-format'">{{ labels[i.format] }}{{ i.compressed ? ', gzip' : '' }}</dd>
        @if (i.manifest; as m) {
          <dt>Scope</dt>
          <dd [attr.data-testid]="testId() + '-scope'">{{ m.scope }}</dd>
          <dt>Source</dt>
          <dd [attr.data-testid]="testId() + '-source'">
            {{ m.source.app }} {{ m.source.version }}
            @if (m.source.tenantSlug) {
              · tenant {{ m.source.tenantSlug }}
            }
          </dd>
          <dt>Created</dt>
          <dd [attr.data-testid]="testId() + '-created'">{{ m.createdAt | date: 'medium' }}</dd>
          <dt>Schema</dt>
          <dd>{{ m.schemaVersion }} (format v{{ m.formatVersion }})</dd>
        }
      </dl>
      @if (i.manifest; as m) {
        <div class="scroll">
          <table class="tables" [attr.data-testid]="testId() + '-tables'">
            <caption class="cdk-visually-hidden">
              Tables in the bundle
            </caption>
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" class="num">Rows</th>
                <th scope="col" class="num">Columns</th>
              </tr>
            </thead>
            <tbody>
              @for (t of m.tables; track t.name) {
                <tr [attr.data-testid]="testId() + '-table-' + t.name">
                  <td>{{ t.name }}</td>
                  <td class="num">{{ i.rowCounts ? (i.rowCounts[t.name] ?? 0 | number) : '?' }}</td>
                  <td class="num">{{ t.columns.length }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
      @if (i.note) {
        <p class="note" [attr.data-testid]="testId() + '-note'">{{ i.note }}</p>
      }
      @if (i.error) {
        <p class="error" role="alert" [attr.data-testid]="testId() + '-error'">{{ i.error }}</p>
      }
    </div>
  `,
  styles: `
    .manifest {
      margin-top: 16px;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      margin: 0 0 12px;
    }
    dt {
      font-weight: 500;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .scroll {
      overflow-x: auto;
    }
    .tables {
      border-collapse: collapse;
    }
    .tables th,
    .tables td {
      padding: 4px 12px 4px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      text-align: left;
    }
    .num {
      text-align: right !important;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ManifestViewComponent {
  readonly info = input.required<ManifestInfo>();
  /** Prefix of the test ids (the wizard shows a second view of the server-read manifest). */
  readonly testId = input('import-manifest');
  protected readonly labels = FORMAT_LABELS;
}
