import type { ImportReport } from '@rythm/api-types';

export type RowLabels = NonNullable<ImportReport['rowLabels']>;

/** The label a person recognises for a row ("Ada Lovelace <ada@example.com>"), if the report has one. */
export function rowLabel(labels: RowLabels | null | undefined, table: string | null, rowId: string | null): string | null {
  if (!labels || !table || !rowId) return null;
  return labels[table]?.[rowId] ?? null;
}
