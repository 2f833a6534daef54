import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help: `--tenant <slug|id>`. */
  value?: string;
  description: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export const GLOBAL_OPTIONS: OptionSpecs = {
  api: { type: 'string', value: '<url>', description: 'API address (default: $RYTHM_API or http://localhost:3000)' },
  json: { type: 'boolean', description: 'Print one JSON document on stdout, for scripts' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
};

/** Global options that take a value: skipped with their value while looking for the command name. */
const VALUE_GLOBALS = new Set(['--api']);

export interface CommandWords {
  /** Command words in order (`['backups', 'restore']`), at most `depth` of them. */
  words: string[];
  /** The arguments without the command words. */
  rest: string[];
}

/**
 * Finds the command words: the leading positionals, where global options may come first
 * (`rythm-data --api http://x --json backups list`). `isGroup(word)` says whether a second word
 * (a subcommand) follows.
 */
export function splitCommand(argv: string[], isGroup: (word: string) => boolean): CommandWords {
  const words: string[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') break;
    if (token.startsWith('-') && token !== '-') {
      if (VALUE_GLOBALS.has(token)) i++;
      continue;
    }
    words.push(token);
    taken.add(i);
    if (words.length === 2 || !isGroup(words[0])) break;
  }
  return { words, rest: argv.filter((_, i) => !taken.has(i)) };
}

/** `--help` / `-h` anywhere before `--`, so help works even next to a mistake. */
export function wantsHelp(argv: string[]): boolean {
  for (const token of argv) {
    if (token === '--') return false;
    if (token === '--help' || token === '-h') return true;
  }
  return false;
}

/** Strict parsing of a command's arguments: unknown options, missing values and bad choices are usage errors. */
export function parseCommandArgs(args: string[], options: OptionSpecs, command: string): ParsedArgs {
  const all = { ...GLOBAL_OPTIONS, ...options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.entries(all).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, command), command);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, spec] of Object.entries(all)) {
    const value = values[name];
    if (typeof value !== 'string') continue;
    if (value === '') throw new UsageError(`--${name} needs a value`, command);
    if (spec.choices && !spec.choices.includes(value)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${value}")`, command);
  }
  return { values, positionals: parsed.positionals };
}

function describeParseError(error: unknown, command: string): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option} for \`rythm-data ${command}\``;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `${option} does not take a value`;
    return `${option} needs a value`;
  }
  return message.split('. ')[0];
}

/** A date or instant given on the command line, as an ISO 8601 instant for the API. */
export function isoInstant(value: string, option: string, command: string): string {
  // Plain dates are taken as midnight UTC; anything else must carry enough for Date to parse.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${option} must be a date (2026-01-31) or an ISO 8601 instant (2026-01-31T12:00:00Z), got "${value}"`, command);
  }
  return date.toISOString();
}

/** A positive whole number option (`--page 2`). */
export function positiveInt(value: string | boolean | undefined, option: string, command: string): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${option} must be a whole number of at least 1, got "${value}"`, command);
  return Number(value);
}

/** The closest known word within two edits, for "did you mean". */
export function closest(word: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
