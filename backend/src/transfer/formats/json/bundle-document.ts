import type { BundleManifest } from '../../../shared/api-types.js';
import { reject } from '../../import/import-types.js';
import { quote, whyNotStorable } from '../exact-values.js';
import { FORBIDDEN_KEYS, forbiddenKeyError, parseManifest } from '../manifest-rules.js';
import type { Cursor } from './cursor.js';
import type { ReaderOutput } from './reader-output.js';
import { SmallValueBuilder } from './small-value.js';
import { TableRows } from './table-rows.js';
import type { Token } from './tokens.js';

const TOP_KEYS = ['manifest', 'data', 'summary'];

type State = 'start' | 'topKey' | 'small' | 'dataStart' | 'dataKey' | 'rows' | 'end';

/**
 * The bundle's outer grammar, token by token: exactly
 * `{"manifest":{…},"data":{"<table>":[{row},…],…},"summary":{…}}` with tables in manifest order.
 * The manifest and the summary are built by a SmallValueBuilder, each table's array read by a TableRows.
 */
export class BundleDocument {
  manifest: BundleManifest | null = null;
  summary: unknown = undefined;
  /** The table whose array is being read, if any. */
  rows: TableRows | null = null;
  private state: State = 'start';
  /** How many of TOP_KEYS have been read. */
  private topIndex = 0;
  private small: SmallValueBuilder | null = null;
  /** The manifest's index of the last table entered. */
  private tableIndex = -1;

  constructor(
    private readonly cursor: Cursor,
    private readonly output: ReaderOutput,
  ) {}

  get ended(): boolean {
    return this.state === 'end';
  }

  /** The state a truncated bundle stopped in, for its message. */
  get stateName(): string {
    return this.state === 'rows' ? this.rows!.stateName : this.state;
  }

  push(token: Token): void {
    // A key is a name in every message about its row or table: it must be text a report can hold.
    if (token.name === 'keyValue') {
      const why = whyNotStorable(String(token.value));
      if (why !== null) throw this.cursor.reject(`the key ${quote(String(token.value), 40)} holds ${why}`);
    }
    switch (this.state) {
      case 'rows': // first: nearly every token is in a row
        if (this.rows!.push(token)) {
          this.rows = null;
          this.state = 'dataKey';
        }
        return;
      case 'start':
        if (token.name !== 'startObject') throw this.cursor.unexpected(token, 'the bundle object "{"');
        this.state = 'topKey';
        return;
      case 'topKey':
        return this.topKey(token);
      case 'small':
        if (this.small!.push(token)) this.smallValue(this.small!.value);
        return;
      case 'dataStart':
        if (token.name !== 'startObject') throw this.cursor.unexpected(token, '"data" to be an object of tables');
        this.state = 'dataKey';
        return;
      case 'dataKey':
        return this.dataKey(token);
      case 'end':
        throw this.cursor.unexpected(token, 'nothing after the end of the bundle');
    }
  }

  private topKey(token: Token): void {
    const at = this.cursor.at;
    if (token.name === 'endObject') {
      if (this.topIndex !== TOP_KEYS.length) throw reject(`${at}: the bundle ends without its "${TOP_KEYS[this.topIndex]}"`);
      this.state = 'end';
      return;
    }
    if (token.name !== 'keyValue') throw this.cursor.unexpected(token, 'a key');
    const key = String(token.value);
    if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, at);
    if (key !== TOP_KEYS[this.topIndex]) {
      throw reject(
        `${at}: expected the key "${TOP_KEYS[this.topIndex] ?? '}'}" (a bundle is {"manifest", "data", "summary"} in this order), found ${quote(key, 40)}`,
      );
    }
    this.topIndex++;
    if (key === 'data') {
      if (!this.manifest) throw reject(`${at}: "data" before the manifest`);
      this.state = 'dataStart';
    } else {
      this.small = new SmallValueBuilder(key === 'manifest' ? 'The manifest' : 'The summary');
      this.state = 'small';
    }
  }

  /** The manifest's or the summary's value, whichever key was read last. */
  private smallValue(value: unknown): void {
    if (TOP_KEYS[this.topIndex - 1] === 'manifest') {
      this.manifest = parseManifest(value);
      this.output.manifest(this.manifest);
    } else {
      this.summary = value;
    }
    this.small = null;
    this.state = 'topKey';
  }

  private dataKey(token: Token): void {
    const at = this.cursor.at;
    const tables = this.manifest!.tables;
    const next = tables[this.tableIndex + 1];
    if (token.name === 'endObject') {
      if (next) throw reject(`${at}: "data" has no "${next.name}", which the manifest lists`, { table: next.name });
      this.state = 'topKey';
      return;
    }
    if (token.name !== 'keyValue') throw this.cursor.unexpected(token, 'a table name');
    const name = String(token.value);
    if (FORBIDDEN_KEYS.has(name)) throw forbiddenKeyError(name, at);
    if (!next || next.name !== name) {
      throw reject(
        tables.some((t) => t.name === name)
          ? `${at}: table "${name}" is out of order; tables follow the manifest (expected "${next?.name ?? 'the end of data'}")`
          : `${at}: "data" holds the table ${quote(name)}, which the manifest does not list`,
        { table: name.length <= 60 ? name : null },
      );
    }
    this.tableIndex++;
    this.cursor.table = name;
    this.rows = new TableRows(name, next.columns, this.cursor, this.output);
    this.state = 'rows';
  }
}
