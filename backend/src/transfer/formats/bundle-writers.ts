import type { Writable } from 'node:stream';
import { CsvBundleWriter } from './csv/writer.js';
import { JsonBundleWriter } from './json/writer.js';
import { SqlBundleWriter } from './sql/writer.js';
import type { BundleWriter, WriterOptions } from './writer-types.js';

export type { BundleWriter, WriterOptions } from './writer-types.js';

/** The writer of a format: one folder per format under formats/ (reader and writer side by side). */
export function createBundleWriter(output: Writable, options: WriterOptions): BundleWriter {
  switch (options.format) {
    case 'json':
      return new JsonBundleWriter(output, options);
    case 'sql':
      return new SqlBundleWriter(output, options);
    case 'csv':
      return new CsvBundleWriter(output, options);
  }
}
