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

const UUID_HEX = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * A uuid as PostgreSQL writes it: lower-case hex, 8-4-4-4-12. Every id the system wrote (rows,
 * jobs, manifests) has this form, and ids are compared as text only in it.
 */
export const UUID_PATTERN = new RegExp(`^${UUID_HEX}$`);
/**
 * The same in either case, for ids that people and other tools hand in: API fields, CLI arguments
 * (an id copied from a tool that prints upper case) and bundle rows (PostgreSQL's uuid input reads
 * either case). Such an id is lower-cased (`canonicalUuid`) before anything compares it, so it is
 * accepted, never refused for its case.
 */
export const UUID_ANY_CASE = new RegExp(`^${UUID_HEX}$`, 'i');

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** A uuid in either case, lower-cased; null when the value is not a uuid. */
export function canonicalUuid(value: string): string | null {
  return UUID_ANY_CASE.test(value) ? value.toLowerCase() : null;
}

/** The canonical uuids inside a text (the ids that messages name), in order. */
export function uuidsIn(text: string): string[] {
  return text.match(new RegExp(UUID_HEX, 'g')) ?? [];
}

/** `text` with every canonical uuid in it replaced by `replace(id)`. */
export function replaceUuids(text: string, replace: (id: string) => string): string {
  return text.replace(new RegExp(UUID_HEX, 'g'), replace);
}

/** The job statuses after which a job never changes again (JobStatus in api-types). */
export const TERMINAL_JOB_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export type TerminalJobStatus = (typeof TERMINAL_JOB_STATUSES)[number];

export function isTerminal(status: string): status is TerminalJobStatus {
  return (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);
}
