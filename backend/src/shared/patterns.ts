/**
 * Patterns that the API, the engine, the CLI and the console all check, defined once (the
 * console imports this file through @rythm/api-types). Never restate one with a slightly
 * different regex.
 */

/** A tenant slug: lower-case letters, digits and hyphens, 1–64 characters, no hyphen at either end. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** The same pattern for PostgreSQL's `~` operator (its regex dialect accepts it as written). */
export const SLUG_PATTERN_SQL = SLUG_PATTERN.source;
export const SLUG_RULE = 'lower-case letters, digits and hyphens (1–64 characters, no hyphen at either end)';

/** A tenant name: 1–200 characters, not only spaces, no control characters. */
export const TENANT_NAME_MAX = 200;
const CONTROL = /[\u0000-\u001f\u007f]/;
export const TENANT_NAME_RULE = `1–${TENANT_NAME_MAX} characters, not blank, without control characters`;

export function isTenantName(value: string): boolean {
  return value.trim().length > 0 && value.length <= TENANT_NAME_MAX && !CONTROL.test(value);
}
