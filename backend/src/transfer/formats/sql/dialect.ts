/**
 * The fixed lines of an SQL bundle (docs/bundle-format.md "SQL"). The writer emits exactly these
 * and the reader accepts exactly these, so both import them from here.
 */
export const SQL_TITLE_LINE = '-- RYTHM Data bundle, format version 1. Load into a migrated database with: psql -v ON_ERROR_STOP=1 -f <file>';
export const SQL_MANIFEST_PREFIX = '-- manifest: ';
export const SQL_SUMMARY_PREFIX = '-- summary: ';

/**
 * The fixed SET lines, in order, before `BEGIN;`. The session settings psql needs to load the
 * COPY text exactly as written (the exporter prints with the same settings); preserve_timestamps
 * keeps the bundle's updated_at through the update trigger.
 */
export const SQL_SET_LINES: readonly string[] = [
  "SET client_encoding = 'UTF8';",
  "SET TimeZone = 'UTC';",
  "SET DateStyle = 'ISO, YMD';",
  "SET rythm.preserve_timestamps = 'on';",
];
export const SQL_BEGIN_LINE = 'BEGIN;';
export const SQL_COMMIT_LINE = 'COMMIT;';
/** Ends each table's COPY data. */
export const SQL_COPY_END_LINE = '\\.';

/** Double-quotes an identifier (table and column names come from entity metadata, not input). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `COPY "table" ("a", "b") FROM stdin;` */
export function sqlCopyHeaderLine(table: string, columns: readonly string[]): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM stdin;`;
}

/** Parses a COPY header line back into table and columns; null when the line is not one. */
export function parseSqlCopyHeaderLine(line: string): { table: string; columns: string[] } | null {
  const match = /^COPY "((?:[^"]|"")+)" \(((?:"(?:[^"]|"")+"(?:, )?)+)\) FROM stdin;$/.exec(line);
  if (!match) return null;
  const columns = [...match[2].matchAll(/"((?:[^"]|"")+)"/g)].map((m) => m[1].replace(/""/g, '"'));
  if (sqlCopyHeaderLine(match[1].replace(/""/g, '"'), columns) !== line) return null;
  return { table: match[1].replace(/""/g, '"'), columns };
}
