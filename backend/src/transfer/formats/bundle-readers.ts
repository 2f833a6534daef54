import { type BundleInput, type DecompressionLimits, openBundle } from './bundle-source.js';
import { CsvBundleReader } from './csv/reader.js';
import { JsonBundleReader } from './json/reader.js';
import type { BundleReader } from './reader-types.js';
import { SqlBundleReader } from './sql/reader.js';

/**
 * The reader of a bundle file: gzip and zip are told by their magic bytes, JSON and SQL by their
 * first character (bundle-source.ts); each format's reader lives in its folder beside its writer.
 */
export async function openReader(input: BundleInput, limits: DecompressionLimits, tableCount: number): Promise<BundleReader> {
  const opened = await openBundle(input, limits);
  if (opened.encoding === 'csv') return new CsvBundleReader(opened.source, limits, tableCount);
  return opened.encoding === 'json' ? new JsonBundleReader(opened.chunks!) : new SqlBundleReader(opened.chunks!);
}
