import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { BundleManifest } from '@rythm/api-types';
import { BytesPipe } from '../shared/bytes.pipe';
import { DateTimePipe } from '../shared/date-time.pipe';
import { tableLabel } from '../shared/text';
import type { ManifestInfo } from './manifest-reader';

const FORMAT_LABELS = { json: 'JSON', sql: 'SQL', csv: 'CSV (zip)' } as const;

/** "One tenant: northside", "Global data (…)", "Full system (…)". */
export function scopeText(m: BundleManifest): string {
  switch (m.scope) {
    case 'tenant':
      return m.source.tenantSlug ? `One tenant: ${m.source.tenantSlug}` : 'One tenant';
    case 'global':
      return 'Global data (exercise library, equipment, templates)';
    case 'full':
      return 'Full system (every tenant and global data)';
  }
}

/** "by RYTHM Data 0.1.0 from tenant northside". */
export function sourceText(m: BundleManifest): string {
  const app = m.source.app === 'rythm-data' ? 'RYTHM Data' : m.source.app;
  return `by ${app} ${m.source.version}${m.source.tenantSlug ? ` from tenant ${m.source.tenantSlug}` : ''}`;
}

/** The export's options in words: what the bundle holds and how it was made. */
export function contentsText(m: BundleManifest): string {
  const o = m.options as {
    include?: { users?: boolean; sessions?: boolean };
    anonymize?: boolean;
    includeCredentials?: boolean;
    incremental?: boolean;
    modifiedSince?: string;
    dateRange?: { from?: string; to?: string };
  };
  if (m.scope === 'global') return 'Equipment, exercises and templates shared by every tenant';
  const parts: string[] = [];
  parts.push(o.include?.users === false ? 'no users' : 'users');
  parts.push(
    o.include?.sessions === false ? 'no workout history' : o.dateRange?.from || o.dateRange?.to ? 'workout history of a date range' : 'workout history',
  );
  if (o.anonymize) parts.push('anonymised');
  if (o.includeCredentials) parts.push('with password hashes');
  if (o.incremental || o.modifiedSince) parts.push('only rows changed since a date (incremental)');
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the browser could read of a bundle before upload. */
@Component({
  selector: 'app-manifest-view',
  imports: [DateTimePipe, DecimalPipe, BytesPipe],
  template: `
    @let i = info();
    <div class="manifest" [attr.data-testid]="testId()">
      <dl>
        <dt>File</dt>
        <dd [attr.data-testid]="testId() + '-file'">{{ i.fileName }} · {{ i.sizeBytes | bytes }}</dd>
        <dt>Format</dt>
        <dd [attr.data-testid]="testId() + '-format'">{{ labels[i.format] }}{{ i.compressed ? ', gzip' : '' }}</dd>
        @if (i.manifest; as m) {
          <dt>Holds</dt>
          <dd [attr.data-testid]="testId() + '-scope'" [attr.data-scope]="m.scope">{{ scope(m) }}</dd>
          <dt>Contents</dt>
          <dd [attr.data-testid]="testId() + '-contents'">{{ contents(m) }}</dd>
          <dt>Exported</dt>
          <dd [attr.data-testid]="testId() + '-created'">
            {{ m.createdAt | dateTime }}
            <span [attr.data-testid]="testId() + '-source'">{{ source(m) }}</span>
          </dd>
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
                  <td>{{ table(t.name) }}</td>
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
  protected readonly scope = scopeText;
  protected readonly contents = contentsText;
  protected readonly source = sourceText;
  protected readonly table = tableLabel;
}
