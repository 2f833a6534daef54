import type { BundleManifest } from '../../../shared/api-types.js';
import type { BundleSummary } from '../../bundle/manifest.js';
import { type PlannedTable, selectSql } from '../../export/export-plan.js';
import { LineBlocks } from '../line-blocks.js';
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
    let pending: string | null = null;
    let rows = 0;
    for await (const chunk of copy) {
      let block = blocks.push(chunk);
      if (block === '') continue;
      if (block.includes('\\')) block = block.replace(/\\\\/g, '\\');
      const lines = block.split('\n');
      lines.pop();
      if (reserialise) {
        for (let i = 0; i < lines.length; i++) lines[i] = JSON.stringify(JSON.parse(lines[i]));
        block = `${lines.join('\n')}\n`;
      }
      this.hasher.update(block);
      rows += lines.length;
      // Each row but the last of the table is followed by a comma, so the last line waits.
      if (pending !== null) lines.unshift(pending);
      pending = lines.pop()!;
      if (lines.length > 0) await this.write(`${lines.join(',\n')},\n`);
      onRows(rows);
    }
    blocks.end();
    await this.write(`${pending !== null ? `${pending}\n` : ''}]${isLast ? '' : ','}\n`);
    return rows;
  }

  async end(summary: BundleSummary): Promise<void> {
    await this.write(`},\n"summary":${JSON.stringify(summary)}}\n`);
    await this.finish();
  }
}
