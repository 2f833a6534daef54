/**
 * CSV formula protection (docs/bundle-format.md "CSV"): a text cell that a spreadsheet could take
 * for a formula gets one extra leading `'`; readers remove one leading `'` from every text cell
 * that has one. `'` itself is a trigger, so `unprotect(protect(x)) === x` for every string.
 * Applies to `text` columns only: uuid, numbers, timestamps and arrays are never prefixed.
 */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r', "'"];

export function needsFormulaProtection(value: string): boolean {
  return value.length > 0 && FORMULA_TRIGGERS.includes(value[0]);
}

/** Encodes one text value for a CSV cell (before RFC 4180 quoting). */
export function protectCsvText(value: string): string {
  return needsFormulaProtection(value) ? `'${value}` : value;
}

/** Decodes one text cell (after RFC 4180 unquoting) back to the value. */
export function unprotectCsvText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/**
 * The same rule as a SQL expression over `expression` (a text value), for writers that let
 * PostgreSQL produce the CSV (`COPY ... (FORMAT csv)`). NULL stays NULL.
 */
export function protectCsvTextSql(expression: string): string {
  const triggers = "'=', '+', '-', '@', E'\\t', E'\\r', ''''";
  return `CASE WHEN left(${expression}, 1) IN (${triggers}) THEN '''' || ${expression} ELSE ${expression} END`;
}
