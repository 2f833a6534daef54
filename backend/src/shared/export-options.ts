/**
 * The rules that relate export options to each other (docs/export.md), defined once: the engine
 * enforces them (normaliseExport), the CLI and the console apply them before they ask. Pure
 * functions of the option values as ExportRequest names them; no Nest, no Node, no import of
 * api-types (which re-exports this file for the console).
 */

/** Only json and sql are gzipped on request: a csv bundle is a zip file, already compressed. */
export function canCompress(format: string): boolean {
  return format !== 'csv';
}

/** Whether the bundle file is gzipped: asked for, and possible for the format. */
export function compresses(options: { format: string; compress?: boolean }): boolean {
  return canCompress(options.format) && options.compress === true;
}

/** Only tenant scope names a tenant; global and full scope name none. */
export function scopeNamesTenant(scope: string): boolean {
  return scope === 'tenant';
}

/** Credentials (password hashes) and anonymising exclude each other: asking for both is refused. */
export function credentialsConflict(options: { anonymize?: boolean; includeCredentials?: boolean }): boolean {
  return options.anonymize === true && options.includeCredentials === true;
}

/**
 * Whether the bundle carries the credential columns: asked for, with the users, in the clear.
 * (Who may ask is not an option rule: only system admins, decided by the API.)
 */
export function carriesCredentials(options: { include?: { users?: boolean }; anonymize?: boolean; includeCredentials?: boolean }): boolean {
  return options.includeCredentials === true && options.include?.users !== false && options.anonymize !== true;
}

/** A date range (ISO 8601 instants) is ordered when `from` lies strictly before `to`. */
export function dateRangeOrdered(from: string, to: string): boolean {
  return Date.parse(from) < Date.parse(to);
}
