import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { TransferError } from '../errors.js';
import { CHANGE_SET_VERSION, type ChangeSetMeta } from './change-set.js';

/**
 * Reads a change-set script (change-set.ts writes it) as the undo engine runs it: its header, then
 * its statements by section, each COPY with its data lines. Only this format is read: the file is
 * the application's own, checked against the sha256 recorded with it before it is opened.
 */
export interface ChangeSetHeader extends ChangeSetMeta {
  version: number;
  tables: Record<string, number>;
}

export type ScriptItem = { section: string; kind: 'sql'; sql: string } | { section: string; kind: 'copy'; sql: string; rows: AsyncIterable<string> };

export class ChangeSetScript {
  private readonly lines: AsyncIterator<string>;
  private section = 'preamble';
  header: ChangeSetHeader | null = null;

  constructor(input: Readable) {
    this.lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  }

  /** Reads up to the load section and returns the header. */
  async open(): Promise<ChangeSetHeader> {
    for (;;) {
      const line = await this.next();
      if (line === null) break;
      const marker = /^-- rythm:change-set (.*)$/.exec(line);
      if (marker) {
        const header = JSON.parse(marker[1]) as ChangeSetHeader;
        if (header.version !== CHANGE_SET_VERSION) throw this.unreadable(`version ${header.version}, this server reads ${CHANGE_SET_VERSION}`);
        this.header = header;
        return header;
      }
    }
    throw this.unreadable('no "-- rythm:change-set" header');
  }

  /** The statements (and COPYs) of the sections up to `until` (exclusive), in order. */
  async *items(until: string): AsyncGenerator<ScriptItem> {
    for (;;) {
      if (this.section === until) return;
      const line = await this.next();
      if (line === null) {
        if (until === 'eof') return;
        throw this.unreadable(`it ends before its "${until}" section`);
      }
      const section = /^-- rythm:([a-z-]+)$/.exec(line);
      if (section) {
        this.section = section[1];
        continue;
      }
      if (line === '' || line.startsWith('--') || line.startsWith('\\')) continue;
      if (line === 'BEGIN;' || line === 'COMMIT;') continue;
      if (/^COPY .* FROM stdin;$/.test(line)) {
        yield { section: this.section, kind: 'copy', sql: line, rows: this.copyRows() };
        continue;
      }
      yield { section: this.section, kind: 'sql', sql: line };
    }
  }

  private async *copyRows(): AsyncGenerator<string> {
    for (;;) {
      const line = await this.next();
      if (line === null) throw this.unreadable('a COPY block has no end (\\.)');
      if (line === '\\.') return;
      yield line;
    }
  }

  private async next(): Promise<string | null> {
    const { value, done } = await this.lines.next();
    return done ? null : value;
  }

  private unreadable(why: string): TransferError {
    return new TransferError('INVALID_BUNDLE', `The change set cannot be read: ${why}`);
  }
}
