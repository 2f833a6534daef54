import type { ExportFormat, ExportScope } from '../../shared/api-types.js';

/** File extension of a bundle: `.json`, `.json.gz`, `.sql`, `.sql.gz` or `.zip` (CSV is always a zip). */
export function bundleExtension(format: ExportFormat, compress: boolean): string {
  if (format === 'csv') return '.zip';
  return compress ? `.${format}.gz` : `.${format}`;
}

/** UTC `yyyyMMddTHHmmssZ`. */
export function compactUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * `rythm-<tenant-slug>-tenant-<time>.json.gz`, `rythm-global-<time>.zip`, `rythm-full-<time>.sql`.
 * Built only from a slug (checked to be file-name safe) and fixed words.
 */
export function bundleFileName(input: { scope: ExportScope; tenantSlug?: string | null; format: ExportFormat; compress: boolean; at: Date }): string {
  const time = compactUtc(input.at);
  let stem: string;
  if (input.scope === 'tenant') {
    const slug =
      (input.tenantSlug ?? '')
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'tenant';
    stem = `rythm-${slug}-tenant-${time}`;
  } else {
    stem = `rythm-${input.scope}-${time}`;
  }
  return `${stem}${bundleExtension(input.format, input.compress)}`;
}
