import type { BundleManifest } from '../../../shared/api-types.js';
import type { BundleSummary } from '../../bundle/manifest.js';
import { type PlannedTable, selectSql } from '../../export/export-plan.js';
import { countNewlines, LineBlocks } from '../line-blocks.js';
import { TextBundleWriter } from '../writer-types.js';

/**
 * JSON: PostgreSQL renders each row with row_to_json (numeric and bigint cast to text so no float
 * rounding); its text is byte-identical to JSON.stringify of the parsed row for our column
 * types (test/export-formats.integration-spec.ts checks this). COPY text doubles backslashes,
 * and since JSON text has no raw control characters that is the only escape to undo.
 */
export class JsonBundleWriter extends TextBundleWriter {
  copySql(table: PlannedTable): string {
    const inner = selectSql(table, (c) => (c.spec.type === 'numeric' || c.spec.type === 'bigint' ? `(${c.expression})::text` : c.expression));
    return `COPY (SELECT row_to_json(r) FROM (${inner}) r ORDER BY r."id") TO STDOUT`;
  }

  async begin(manifest: BundleManifest): Promise<void> {
    await this.write(`{"manifest":${JSON.stringify(manifest)},\n"data":{\n`);
  }

  async writeTable(table: PlannedTable, isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number> {
    // jsonb values come out of PostgreSQL with spaces; re-serialise so the text is JSON.stringify's.
    const reserialise = table.columns.some((c) => c.spec.type === 'jsonb');
    await this.write(`${JSON.stringify(table.spec.name)}:[\n`);
    const blocks = new LineBlocks();
    // The table's last row so far, without its line break: each row but the last is followed by a comma.
    let pending: Buffer | null = null;
    let rows = 0;
    for await (const chunk of copy) {
      const block = blocks.push(chunk);
      if (block.length === 0) continue;
      let lines: number;
      if (!reserialise && block.indexOf(0x5c) === -1) {
        // Nothing to unescape (COPY doubles backslashes) or re-serialise: the block is the rows'
        // text as the hash takes it, and goes out as bytes with a comma before each line break.
        this.hasher.update(block);
        lines = countNewlines(block);
        const { out, last } = withCommas(pending, block, lines);
        pending = last;
        if (out.length > 0) await this.write(out);
      } else {
        let text = block.toString('utf8');
        if (text.includes('\\')) text = text.replace(/\\\\/g, '\\');
        const parts = text.split('\n');
        parts.pop();
        if (reserialise) {
          for (let i = 0; i < parts.length; i++) parts[i] = JSON.stringify(JSON.parse(parts[i]));
          text = `${parts.join('\n')}\n`;
        }
        this.hasher.update(text);
        lines = parts.length;
        if (pending !== null) parts.unshift(pending.toString('utf8'));
        pending = Buffer.from(parts.pop()!, 'utf8');
        if (parts.length > 0) await this.write(`${parts.join(',\n')},\n`);
      }
      rows += lines;
      onRows(rows);
    }
    blocks.end();
    const close = `]${isLast ? '' : ','}\n`;
    await this.write(pending !== null ? Buffer.concat([pending, Buffer.from(`\n${close}`)]) : close);
    return rows;
  }

  async end(summary: BundleSummary): Promise<void> {
    await this.write(`},\n"summary":${JSON.stringify(summary)}}\n`);
    await this.finish();
  }
}

/**
 * `pending` (the last row before this block), then the block's lines but its last, each followed
 * by `,\n`; the block's last line (without its break) is the new pending row.
 */
export function withCommas(pending: Buffer | null, block: Buffer, lines: number): { out: Buffer; last: Buffer } {
  // (A negative offset would count from the end: a one-byte block has no earlier line.)
  const lastStart = block.length >= 2 ? block.lastIndexOf(0x0a, block.length - 2) + 1 : 0;
  const out = Buffer.allocUnsafe((pending ? pending.length + 2 : 0) + lastStart + (lines - 1));
  let at = 0;
  if (pending) {
    at += pending.copy(out, at);
    out[at++] = 0x2c;
    out[at++] = 0x0a;
  }
  for (let start = 0; start < lastStart;) {
    const nl = block.indexOf(0x0a, start);
    at += block.copy(out, at, start, nl);
    out[at++] = 0x2c;
    out[at++] = 0x0a;
    start = nl + 1;
  }
  return { out, last: Buffer.from(block.subarray(lastStart, block.length - 1)) };
}
