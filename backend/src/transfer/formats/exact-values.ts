/**
 * Checks that a value read from a bundle can be stored exactly as written: text must be
 * well-formed Unicode without NUL, and a JSON number must be the number its digits say. Anything
 * else is refused with a message, never stored changed (issue 11, found with JSONTestSuite).
 */

// Node 22 has String.prototype.isWellFormed (ES2024, native and fast); the TypeScript lib here is ES2023.
type Es2024String = string & { isWellFormed(): boolean };

/** False when the text holds a lone UTF-16 surrogate, which UTF-8 (and so PostgreSQL) cannot store. */
export const isWellFormed = (text: string): boolean => (text as Es2024String).isWellFormed();

/**
 * Why PostgreSQL cannot store `text` as it is, or null when it can. Every string of a bundle that
 * reaches the database or a report (kept as jsonb, which refuses both) passes this.
 */
export function whyNotStorable(text: string): string | null {
  if (text.includes('\u0000')) return 'the NUL character (PostgreSQL cannot store it)';
  if (!isWellFormed(text)) return describeLoneSurrogate(text);
  return null;
}

/**
 * Bundle text for a message: JSON-quoted, so that a NUL or a lone surrogate arrives escaped, and
 * cut after `max` characters without splitting a surrogate pair.
 */
export function quote(text: string, max = 60): string {
  if (text.length <= max) return JSON.stringify(text);
  const unit = text.charCodeAt(max - 1);
  return `${JSON.stringify(text.slice(0, unit >= 0xd800 && unit <= 0xdbff ? max - 1 : max))}…`;
}

/** The first lone surrogate of a text that is not well formed, for messages (plain ASCII). */
function describeLoneSurrogate(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++; // a valid pair
      continue;
    }
    const half = unit <= 0xdbff ? 'the first half of a UTF-16 pair, without its second half' : 'the second half of a UTF-16 pair, without its first half';
    return `a lone surrogate \\u${unit.toString(16)} at character ${i + 1} (${half}): UTF-8 cannot store it`;
  }
  return 'no lone surrogate';
}

const NUMBER = /^-?(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/;
/** More significant digits than any double holds exactly (an integer double has at most 309). */
const MAX_EXACT_DIGITS = 330;

/**
 * True when the double that `text` (a JSON number) reads as is exactly the number written, or is
 * not a whole number (such a double is refused wherever a bundle allows a number). So 1.0, 1e2 and
 * -0 pass, while 123.456e-789 (read as 0), 1.00000000000000001 (read as 1), 10^20 + 1 and 1e400
 * (read as Infinity) do not: stored, they would be another number than the one in the file.
 */
export function isExactJsonNumber(text: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (!Number.isInteger(value) || String(value) === text) return true;
  const match = NUMBER.exec(text);
  if (!match) return false;
  let digits = (match[1] + (match[2] ?? '')).replace(/^0+/, '');
  if (digits === '') return value === 0; // 0, 0.0, 0e999: zero however written
  let exponent = Number(match[3] ?? '0') - (match[2]?.length ?? 0);
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  if (exponent < 0 || digits.length + exponent > MAX_EXACT_DIGITS) return false; // a fraction, or beyond any double
  return text.startsWith('-') === value < 0 && BigInt(digits) * 10n ** BigInt(exponent) === BigInt(Math.abs(value));
}
