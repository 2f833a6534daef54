import { closest, GLOBAL_OPTIONS, isoInstant, parseCommandArgs, positiveInt, splitCommand, wantsHelp } from './args.js';
import { UsageError } from './errors.js';

const groups = new Set(['backups', 'jobs', 'audit']);
const isGroup = (word: string) => groups.has(word);

describe('splitCommand', () => {
  it('takes the first word as the command and keeps the rest in order', () => {
    expect(splitCommand(['export', '--tenant', 'northside', '--json'], isGroup)).toEqual({ words: ['export'], rest: ['--tenant', 'northside', '--json'] });
  });

  it('takes a second word for a group', () => {
    expect(splitCommand(['backups', 'restore', 'abc', '--dry-run'], isGroup)).toEqual({ words: ['backups', 'restore'], rest: ['abc', '--dry-run'] });
  });

  it('skips global options, with the value of --api, before the command', () => {
    expect(splitCommand(['--api', 'http://x:3000', '--json', 'jobs', 'list'], isGroup)).toEqual({
      words: ['jobs', 'list'],
      rest: ['--api', 'http://x:3000', '--json'],
    });
  });

  it('does not look for a command after --', () => {
    expect(splitCommand(['--', 'tenants'], isGroup).words).toEqual([]);
  });

  it('leaves positionals after a plain command to the command (import <file>)', () => {
    expect(splitCommand(['import', 'bundle.json'], isGroup)).toEqual({ words: ['import'], rest: ['bundle.json'] });
  });
});

describe('wantsHelp', () => {
  it('finds --help or -h anywhere before --', () => {
    expect(wantsHelp(['export', '--bogus', '-h'])).toBe(true);
    expect(wantsHelp(['import', '--', '--help'])).toBe(false);
    expect(wantsHelp(['tenants'])).toBe(false);
  });
});

describe('parseCommandArgs', () => {
  const options = {
    tenant: { type: 'string' as const, description: '' },
    format: { type: 'string' as const, choices: ['json', 'sql', 'csv'], description: '' },
    'no-users': { type: 'boolean' as const, description: '' },
    yes: { type: 'boolean' as const, short: 'y', description: '' },
  };
  const parse = (args: string[]) => parseCommandArgs(args, options, 'export');
  const usage = (args: string[]) => {
    try {
      parse(args);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).command).toBe('export');
      return (error as Error).message;
    }
    throw new Error('expected a usage error');
  };

  it('parses command and global options together', () => {
    const parsed = parse(['--tenant', 'northside', '--no-users', '--json', '-y', 'extra']);
    expect(parsed.values).toMatchObject({ tenant: 'northside', 'no-users': true, json: true, yes: true });
    expect(parsed.positionals).toEqual(['extra']);
  });

  it('accepts --name=value', () => {
    expect(parse(['--format=csv']).values.format).toBe('csv');
  });

  it('names an unknown option and the command', () => {
    expect(usage(['--colour'])).toBe('Unknown option --colour for `rythm-data export`');
  });

  it('says when an option lacks its value, also when the next word is an option', () => {
    expect(usage(['--tenant'])).toBe('--tenant needs a value');
    expect(usage(['--tenant', '--json'])).toBe('--tenant needs a value');
    expect(usage(['--tenant='])).toBe('--tenant needs a value');
  });

  it('says when a flag is given a value', () => {
    expect(usage(['--json=yes'])).toBe('--json does not take a value');
  });

  it('lists the allowed values of a choice', () => {
    expect(usage(['--format', 'xml'])).toBe('--format must be one of json, sql, csv (got "xml")');
  });

  it('knows the global options', () => {
    expect(Object.keys(GLOBAL_OPTIONS)).toEqual(['api', 'json', 'help']);
  });
});

describe('isoInstant', () => {
  it('reads a plain date as midnight UTC and keeps instants', () => {
    expect(isoInstant('2026-01-31', 'from', 'export')).toBe('2026-01-31T00:00:00.000Z');
    expect(isoInstant('2026-01-31T12:30:00+02:00', 'from', 'export')).toBe('2026-01-31T10:30:00.000Z');
  });

  it('refuses what is not a date, naming the option', () => {
    expect(() => isoInstant('yesterday', 'from', 'export')).toThrow('--from must be a date (2026-01-31) or an ISO 8601 instant');
    expect(() => isoInstant('2026-13-45', 'to', 'export')).toThrow(UsageError);
  });
});

describe('positiveInt', () => {
  it('reads whole numbers of at least 1 and refuses the rest', () => {
    expect(positiveInt('3', 'page', 'jobs list')).toBe(3);
    expect(positiveInt(undefined, 'page', 'jobs list')).toBeUndefined();
    expect(() => positiveInt('0', 'page', 'jobs list')).toThrow('--page must be a whole number of at least 1, got "0"');
    expect(() => positiveInt('2.5', 'page', 'jobs list')).toThrow(UsageError);
  });
});

describe('closest', () => {
  it('suggests a command within two edits, and nothing for a stranger', () => {
    expect(closest('tenant', ['tenants', 'export'])).toBe('tenants');
    expect(closest('exprot', ['tenants', 'export'])).toBe('export');
    expect(closest('deploy', ['tenants', 'export'])).toBeNull();
  });
});
