/**
 * The session settings every connection that reads or writes bundle rows uses
 * (docs/bundle-format.md "Values"): they fix how PostgreSQL prints and parses timestamps, numbers
 * and text, so that a bundle is byte-identical whichever server or client wrote it.
 */
export const BUNDLE_SESSION_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  TimeZone: 'UTC',
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  extra_float_digits: '3',
  client_encoding: 'UTF8',
});

/** `SET` (or `SET LOCAL`) statements for the settings, joined into one simple-query string. */
export function bundleSessionSql(options: { local?: boolean } = {}): string {
  const verb = options.local ? 'SET LOCAL' : 'SET';
  return Object.entries(BUNDLE_SESSION_SETTINGS)
    .map(([name, value]) => `${verb} ${name} = '${value}'`)
    .join('; ');
}

/**
 * Applies the settings on a pg client. Use `local: true` inside a transaction so the settings
 * end with it and a pooled connection goes back unchanged.
 */
export async function applyBundleSessionSettings(client: { query(sql: string): Promise<unknown> }, options: { local?: boolean } = {}): Promise<void> {
  await client.query(bundleSessionSql(options));
}
