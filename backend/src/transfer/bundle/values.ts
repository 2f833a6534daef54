import type { ColumnType } from '../table-graph.js';

/**
 * Value encoders shared by writers and readers (docs/bundle-format.md "Values"): PostgreSQL COPY
 * text fields and one-dimensional text[] literals. Pure functions, no I/O.
 */

/** The COPY text NULL marker. */
export const COPY_NULL = '\\N';

/** Encodes one value as a COPY text field (`\N` for null; backslash, tab, newline, CR escaped). */
export function encodeCopyText(value: string | null): string {
  if (value === null) return COPY_NULL;
  return value.replace(/[\\\t\n\r\b\f\v]/g, (c) => COPY_ESCAPES[c]);
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
const COPY_UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Decodes one COPY text field (`\N` → null). Handles every escape COPY accepts: `\b \f \n \r \t
 * \v`, octal `\123`, hex `\x41`, and `\<any>` → that character.
 */
export function decodeCopyText(field: string): string | null {
  if (field === COPY_NULL) return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/gs, (_, seq: string) => {
    if (seq[0] === 'x' && seq.length > 1) return String.fromCharCode(parseInt(seq.slice(1), 16));
    if (/^[0-7]/.test(seq)) return String.fromCharCode(parseInt(seq, 8));
    return COPY_UNESCAPES[seq] ?? seq;
  });
}

/** Splits one COPY text data line (without its `\n`) into raw fields; tabs in data are escaped. */
export function splitCopyLine(line: string): string[] {
  return line.split('\t');
}

/** Joins encoded fields into one COPY text data line (without the `\n`). */
export function joinCopyLine(fields: string[]): string {
  return fields.join('\t');
}

/**
 * A one-dimensional text[] as a PostgreSQL array literal, as PostgreSQL prints it: elements
 * quoted only when needed (`{legs,"full body"}`), NULL elements unquoted.
 */
export function formatTextArray(values: readonly (string | null)[]): string {
  const elements = values.map((v) => {
    if (v === null) return 'NULL';
    if (v === '' || /[{}",\\\s]/.test(v) || v.toUpperCase() === 'NULL') return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    return v;
  });
  return `{${elements.join(',')}}`;
}

/** Parses a one-dimensional array literal (`{a,"b c",NULL}`); throws on anything else. */
export function parseTextArray(literal: string): (string | null)[] {
  if (!literal.startsWith('{') || !literal.endsWith('}')) throw new Error(`not an array literal: ${literal.slice(0, 40)}`);
  const body = literal.slice(1, -1);
  const out: (string | null)[] = [];
  if (body.trim() === '') return out;
  let i = 0;
  while (i <= body.length) {
    while (body[i] === ' ') i++;
    if (body[i] === '"') {
      let value = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i++];
      }
      if (body[i] !== '"') throw new Error(`unterminated quoted element in array literal: ${literal.slice(0, 40)}`);
      i++;
      out.push(value);
    } else {
      let end = i;
      while (end < body.length && body[end] !== ',') end++;
      const raw = body.slice(i, end).trim();
      if (raw.includes('{') || raw.includes('"')) throw new Error(`only one-dimensional arrays are supported: ${literal.slice(0, 40)}`);
      out.push(raw.toUpperCase() === 'NULL' ? null : raw.replace(/\\(.)/g, '$1'));
      i = end;
    }
    while (body[i] === ' ') i++;
    if (i >= body.length) break;
    if (body[i] !== ',') throw new Error(`unexpected "${body[i]}" in array literal: ${literal.slice(0, 40)}`);
    i++;
  }
  return out;
}

/**
 * A bundle JSON value (docs/bundle-format.md table) as a COPY text field for the column type, for
 * readers that stage JSON rows with COPY. Throws a TypeError naming the expectation on a value of
 * the wrong shape.
 */
export function jsonValueToCopyField(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return COPY_NULL;
  switch (type) {
    case 'uuid':
    case 'text':
    case 'timestamptz':
      if (typeof value !== 'string') throw new TypeError(`expected a string`);
      return encodeCopyText(value);
    case 'bigint':
    case 'numeric':
      if (typeof value !== 'string' && typeof value !== 'number') throw new TypeError(`expected a number as a string`);
      return encodeCopyText(String(value));
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`expected an integer`);
      return String(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeError(`expected true or false`);
      return value ? 't' : 'f';
    case 'jsonb':
      return encodeCopyText(JSON.stringify(value));
    case 'text[]':
      if (!Array.isArray(value) || value.some((v) => v !== null && typeof v !== 'string')) throw new TypeError(`expected an array of strings`);
      return encodeCopyText(formatTextArray(value as (string | null)[]));
  }
}
