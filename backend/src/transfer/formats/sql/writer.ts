import type { BundleManifest } from '../../../shared/api-types.js';
import type { BundleSummary } from '../../bundle/manifest.js';
import { type PlannedTable, selectSql } from '../../export/export-plan.js';
import { countNewlines } from '../line-blocks.js';
import { TextBundleWriter } from '../writer-types.js';
import {
  SQL_BEGIN_LINE,
  SQL_COMMIT_LINE,
  SQL_COPY_END_LINE,
  SQL_MANIFEST_PREFIX,
  SQL_SET_LINES,
  SQL_SUMMARY_PREFIX,
  SQL_TITLE_LINE,
  sqlCopyHeaderLine,
} from './dialect.js';

/** SQL: a psql script around the COPY text lines exactly as PostgreSQL writes them. */
export class SqlBundleWriter extends TextBundleWriter {
  copySql(table: PlannedTable): string {
    return `COPY (${selectSql(table)}) TO STDOUT`;
  }

  async begin(manifest: BundleManifest): Promise<void> {
    await this.write([SQL_TITLE_LINE, `${SQL_MANIFEST_PREFIX}${JSON.stringify(manifest)}`, ...SQL_SET_LINES, SQL_BEGIN_LINE, ''].join('\n'));
  }

  async writeTable(table: PlannedTable, _isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number> {
    await this.write(
      `${sqlCopyHeaderLine(
        table.spec.name,
        table.columns.map((c) => c.spec.name),
      )}\n`,
    );
    let rows = 0;
    let lastByte = 0x0a;
    for await (const chunk of copy) {
      if (chunk.length === 0) continue;
      this.hasher.update(chunk);
      rows += countNewlines(chunk);
      lastByte = chunk[chunk.length - 1];
      await this.write(chunk);
      onRows(rows);
    }
    if (lastByte !== 0x0a) throw new Error(`COPY output of ${table.spec.name} did not end with a newline`);
    await this.write(`${SQL_COPY_END_LINE}\n`);
    return rows;
  }

  async end(summary: BundleSummary): Promise<void> {
    await this.write(`${SQL_COMMIT_LINE}\n${SQL_SUMMARY_PREFIX}${JSON.stringify(summary)}\n`);
    await this.finish();
  }
}
