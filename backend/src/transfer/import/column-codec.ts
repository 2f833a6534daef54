import { COPY_NULL, encodeCopyText, formatTextArray, parseTextArray, unprotectCsvText } from '../bundle/index.js';
import type { ColumnType } from '../table-graph.js';
import { whyNotStorable } from '../formats/exact-values.js';

/**
 * Per-column type checks done in Node while rows stream in (docs/bundle-format.md "Values"), so
 * that a wrong value becomes an error naming the table, row and field instead of a failed COPY.
 * Each check returns the value as a COPY text field for the staging table.
 */
export interface ColumnCodec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** The live column type (`format_type`), used for the staging table. */
  sqlType: string;
  /** The column has a database default (id, timestamps...): a bundle may leave it out. */
  hasDefault: boolean;
  /** numeric(p, s): digits in total and after the point; null when unconstrained. */
  precision: number | null;
  scale: number | null;
}

export class CellError extends Error {}

const INTEGER = /^-?\d{1,10}$/;
const BIGINT = /^-?\d{1,19}$/;
const NUMERIC = /^-?(\d+)(?:\.(\d+))?$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 60)}…` : text);
};

export const EXPECTED: Record<ColumnType, string> = {
  uuid: 'a UUID (8-4-4-4-12 hex digits)',
  text: 'text',
  integer: `a whole number from ${INT_MIN} to ${INT_MAX}`,
  bigint: 'a whole number (64-bit) as a string',
  numeric: 'a decimal number as a string, e.g. "82.50"',
  timestamptz: 'an ISO 8601 timestamp with an offset, e.g. "2026-06-01T06:00:00+00:00"',
  boolean: 'true or false',
  jsonb: 'any JSON value',
  'text[]': 'an array of strings',
};

function fail(codec: ColumnCodec, got: unknown, detail = ''): never {
  throw new CellError(`expected ${EXPECTED[codec.type]}${detail}, got ${show(got)}`);
}

function checkText(value: string): string {
  // A lone surrogate would reach PostgreSQL as U+FFFD: a changed value, so it is refused like NUL.
  const why = whyNotStorable(value);
  if (why !== null) throw new CellError(`text must not contain ${why}`);
  return value;
}

/** Every string of a jsonb value (keys too): JSON.stringify would escape what PostgreSQL refuses. */
function checkJsonText(value: unknown): void {
  if (typeof value === 'string') checkText(value);
  else if (Array.isArray(value)) for (const item of value) checkJsonText(item);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      checkText(key);
      checkJsonText(item);
    }
}

/**
 * A uuid in either case, lower-cased (as canonicalUuid). A character loop rather than the regex and
 * toLowerCase(): several ids per row made them 7% of a large import's dry run.
 */
function checkUuid(codec: ColumnCodec, value: string): string {
  if (value.length !== 36) fail(codec, value);
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) fail(codec, value);
    } else if (c >= 65 && c <= 70) upper = true;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) fail(codec, value);
  }
  return upper ? value.toLowerCase() : value;
}

function checkInteger(codec: ColumnCodec, value: string): string {
  if (!INTEGER.test(value)) fail(codec, value);
  const n = Number(value);
  if (n < INT_MIN || n > INT_MAX) fail(codec, value);
  return String(n);
}

function checkBigint(codec: ColumnCodec, value: string): string {
  if (!BIGINT.test(value)) fail(codec, value);
  const n = BigInt(value);
  if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) fail(codec, value);
  return value;
}

function checkNumeric(codec: ColumnCodec, value: string): string {
  const match = NUMERIC.exec(value);
  if (!match) fail(codec, value);
  if (codec.precision !== null) {
    const scale = codec.scale ?? 0;
    const whole = match[1].replace(/^0+/, '');
    const fraction = match[2] ?? '';
    if (fraction.length > scale) fail(codec, value, ` with at most ${scale} digits after the point`);
    if (whole.length > codec.precision - scale) fail(codec, value, ` below 10^${codec.precision - scale} (numeric(${codec.precision},${scale}))`);
  }
  return value;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the ASCII digits of `s` from `start` to `end` (the regex checked them). */
function digits(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

function checkTimestamp(codec: ColumnCodec, value: string): string {
  const m = TIMESTAMP.exec(value);
  if (!m) fail(codec, value);
  // The date and time fields sit at fixed positions; digit arithmetic instead of Number() on
  // each group keeps this cheap (two or three timestamps per row).
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  const hour = digits(value, 11, 13);
  const minute = digits(value, 14, 16);
  const second = m[6] === undefined ? 0 : digits(m[6], 0, 2);
  const offsetHours = m[7] === undefined ? 0 : digits(m[7], 0, 2);
  const offsetMinutes = m[8] === undefined ? 0 : digits(m[8], 0, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= (month === 2 && !leap ? 28 : DAYS[month - 1]) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59;
  if (!valid) fail(codec, value, ' (that date or time does not exist)');
  return value;
}

function checkArray(codec: ColumnCodec, values: unknown[]): string {
  for (const element of values) {
    if (element !== null && typeof element !== 'string') fail(codec, values);
    if (element !== null) checkText(element);
  }
  return encodeCopyText(formatTextArray(values as (string | null)[]));
}

function nullField(codec: ColumnCodec): string {
  if (!codec.nullable) throw new CellError(`is required (the column is NOT NULL), got null`);
  return COPY_NULL;
}

/** A value of a JSON bundle. */
export function fromJsonValue(codec: ColumnCodec, value: unknown): string {
  if (value === null || value === undefined) return nullField(codec);
  switch (codec.type) {
    case 'uuid':
      return typeof value === 'string' ? checkUuid(codec, value) : fail(codec, value);
    case 'text':
      return typeof value === 'string' ? encodeCopyText(checkText(value)) : fail(codec, value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX ? String(value) : fail(codec, value);
    case 'bigint':
      return typeof value === 'string' ? checkBigint(codec, value) : fail(codec, value);
    case 'numeric':
      return typeof value === 'string' ? checkNumeric(codec, value) : fail(codec, value);
    case 'timestamptz':
      return typeof value === 'string' ? checkTimestamp(codec, value) : fail(codec, value);
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 't' : 'f') : fail(codec, value);
    case 'jsonb':
      checkJsonText(value);
      return encodeCopyText(JSON.stringify(value));
    case 'text[]':
      return Array.isArray(value) ? checkArray(codec, value) : fail(codec, value);
  }
}

/** A field of an SQL bundle (COPY text, already unescaped) or a CSV cell; null is SQL NULL. */
export function fromTextValue(codec: ColumnCodec, value: string | null, csv: boolean): string {
  if (value === null) return nullField(codec);
  switch (codec.type) {
    case 'uuid':
      return checkUuid(codec, value);
    case 'text':
      return encodeCopyText(checkText(csv ? unprotectCsvText(value) : value));
    case 'integer':
      return checkInteger(codec, value);
    case 'bigint':
      return checkBigint(codec, value);
    case 'numeric':
      return checkNumeric(codec, value);
    case 'timestamptz':
      return checkTimestamp(codec, value);
    case 'boolean':
      if (value === 't' || value === 'true') return 't';
      if (value === 'f' || value === 'false') return 'f';
      return fail(codec, value);
    case 'jsonb': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return fail(codec, value);
      }
      checkJsonText(parsed);
      return encodeCopyText(checkText(value));
    }
    case 'text[]': {
      let elements: (string | null)[];
      try {
        elements = parseTextArray(value);
      } catch {
        return fail(codec, value, ' (a PostgreSQL array literal such as {a,"b c"})');
      }
      return checkArray(codec, elements);
    }
  }
}
