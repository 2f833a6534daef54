/**
 * Limits that the API, the CLI and the console all check, defined once (like patterns.ts): an
 * API token's name and lifetime, a scratch tenant's time-to-live, and how both are written.
 */

/** An API token lives at most a year. */
export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_DEFAULT_DAYS = 90;
/** 1–100 characters, not starting with a space, no control characters. */
export const API_TOKEN_NAME_PATTERN = /^[^\s\u0000-\u001f\u007f][^\u0000-\u001f\u007f]{0,99}$/;
export const API_TOKEN_NAME_RULE = '1–100 characters, not starting with a space, without control characters';

/** A scratch tenant's time-to-live: at least a minute, at most 30 days. */
export const SCRATCH_TTL_MIN_SECONDS = 60;
export const SCRATCH_TTL_MAX_SECONDS = 30 * 86_400;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
export const DURATION_RULE = 'a number and a unit: 90s, 30m, 2h, 7d';

/** `90s`, `30m`, `2h`, `7d` → seconds; null when the text is not such a duration. */
export function parseDurationSeconds(text: string): number | null {
  const match = /^(\d{1,7})\s*([smhd])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNITS[match[2]];
}
