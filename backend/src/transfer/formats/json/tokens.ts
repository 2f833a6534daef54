import { jsonParser } from 'stream-json/parser.js';
import { quote } from '../exact-values.js';

/** stream-json's tokens (packed: a key or value comes whole, never in pieces). */
export type Token = { name: string; value?: unknown };

/** What the tokenizer returns for "no tokens", and takes as "end of input". */
export const NONE = Symbol.for('object-stream.none');
const MANY = Symbol.for('object-stream.many');

export function tokensOf(out: unknown): Token[] {
  if (out === NONE || out === undefined) return [];
  if ((out as Record<symbol, unknown>)[MANY] === 1) return (out as { values: Token[] }).values;
  return [out as Token];
}

/** stream-json's tokenizer: takes text a piece at a time (NONE to end), returns what tokensOf reads. */
export const newTokenizer = () => jsonParser({ packValues: true, streamValues: false }) as unknown as (input: string | typeof NONE) => unknown;

/** A token as a message names it. */
export function describe(token: Token): string {
  switch (token.name) {
    case 'startObject':
      return '"{"';
    case 'endObject':
      return '"}"';
    case 'startArray':
      return '"["';
    case 'endArray':
      return '"]"';
    case 'keyValue':
      return `the key ${quote(String(token.value), 40)}`;
    case 'stringValue':
      return `the string ${quote(String(token.value), 40)}`;
    default:
      return JSON.stringify(token.value ?? token.name);
  }
}
