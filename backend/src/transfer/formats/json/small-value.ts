import { reject } from '../../import/import-types.js';
import { assertStorable, FORBIDDEN_KEYS, forbiddenKeyError } from '../manifest-rules.js';
import { MAX_DOCUMENT_CHARS } from '../reader-types.js';
import type { Token } from './tokens.js';

const MAX_DEPTH = 32;

/** Builds a small JSON value of a bundle (manifest, summary) from tokens, with the key rules and a size cap. */
export class SmallValueBuilder {
  private readonly stack: { container: Record<string, unknown> | unknown[]; key: string | null }[] = [];
  private chars = 0;
  value: unknown = undefined;
  done = false;

  constructor(private readonly where: string) {}

  /** Returns true when the value is complete. */
  push(token: Token): boolean {
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        if (this.stack.length >= MAX_DEPTH) throw reject(`${this.where}: nested more than ${MAX_DEPTH} levels deep`);
        this.stack.push({ container: token.name === 'startObject' ? {} : [], key: null });
        return false;
      }
      case 'endObject':
      case 'endArray': {
        const { container } = this.stack.pop()!;
        return this.put(container);
      }
      case 'keyValue': {
        const key = String(token.value);
        if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, this.where);
        this.count(key.length);
        this.stack[this.stack.length - 1].key = key;
        return false;
      }
      case 'stringValue':
        assertStorable(String(token.value), 'string', this.where);
        this.count(String(token.value).length);
        return this.put(token.value);
      case 'numberValue':
        return this.put(Number(token.value));
      case 'nullValue':
        return this.put(null);
      case 'trueValue':
        return this.put(true);
      case 'falseValue':
        return this.put(false);
      default:
        return false;
    }
  }

  private count(n: number): void {
    this.chars += n;
    if (this.chars > MAX_DOCUMENT_CHARS) throw reject(`${this.where} is larger than ${MAX_DOCUMENT_CHARS / 1048576} MB: refused`);
  }

  private put(value: unknown): boolean {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.value = value;
      this.done = true;
      return true;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    else Object.defineProperty(top.container, top.key!, { value, enumerable: true, writable: true, configurable: true });
    return false;
  }
}
