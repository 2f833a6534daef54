import { isWellFormed } from '../exact-values.js';

/**
 * The fastest path for a row line as our exporter writes it: `{"<col 1>":v1,"<col 2>":v2,…}` with
 * every manifest column once, in manifest order (row_to_json keeps the SELECT's order), values
 * that are strings without escapes, canonical numbers, null, true or false, and no whitespace.
 * Such a line is read by scanning for the known keys, without building an object (JSON.parse was
 * a third of the JSON reader's time); its text is then exactly JSON.stringify of its row, so the
 * hash of the line is the hash of the row. Anything else (an escape, an array, another key
 * order, a stray key, a missing one) returns null and goes the JSON.parse way (exporter-line.ts).
 */
export interface ScannedLine {
  /** One value per manifest column, in manifest order. */
  values: unknown[];
  /** The row's text: the line without its comma and break. */
  body: string;
  comma: boolean;
}

/** What each column's key looks like in such a line: `{"id":`, then `,"name":`, … */
export function scanKeys(columns: readonly string[]): string[] {
  return columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c)}:`);
}

/** Raw control characters are not JSON; a backslash means an escape, which this path leaves to JSON.parse. */
const NOT_PLAIN = /[\\\x00-\x09\x0b-\x1f]/;

export function scanExporterLine(piece: string, keys: readonly string[]): ScannedLine | null {
  const n = piece.length;
  if (n < 3 || piece.charCodeAt(n - 1) !== 0x0a) return null;
  const comma = piece.charCodeAt(n - 2) === 0x2c;
  const end = comma ? n - 2 : n - 1; // the body is piece[0, end)
  // A lone surrogate is written as an escape by JSON.stringify: such a line is not its row's text.
  if (piece.charCodeAt(end - 1) !== 0x7d || keys.length === 0 || NOT_PLAIN.test(piece) || !isWellFormed(piece)) return null;
  const values: unknown[] = new Array(keys.length);
  let i = 0;
  for (let c = 0; c < keys.length; c++) {
    const key = keys[c];
    if (!piece.startsWith(key, i)) return null;
    i += key.length;
    const ch = piece.charCodeAt(i);
    if (ch === 0x22) {
      // No backslash in the line: the next quote closes the string.
      const close = piece.indexOf('"', i + 1);
      if (close === -1 || close >= end) return null;
      values[c] = piece.slice(i + 1, close);
      i = close + 1;
    } else if (ch === 0x6e) {
      if (!piece.startsWith('null', i)) return null;
      values[c] = null;
      i += 4;
    } else if (ch === 0x74) {
      if (!piece.startsWith('true', i)) return null;
      values[c] = true;
      i += 4;
    } else if (ch === 0x66) {
      if (!piece.startsWith('false', i)) return null;
      values[c] = false;
      i += 5;
    } else if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
      let j = i + 1;
      for (
        let d = piece.charCodeAt(j);
        (d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d;
        d = piece.charCodeAt(++j)
      );
      const text = piece.slice(i, j);
      const value = Number(text);
      // Canonical (as JSON.stringify writes it) and so exactly the number written; else the JSON.parse way judges it.
      if (String(value) !== text) return null;
      values[c] = value;
      i = j;
    } else {
      return null; // an array or an object: the JSON.parse way
    }
  }
  if (i !== end - 1) return null; // something after the last column
  return { values, body: piece.slice(0, end), comma };
}
