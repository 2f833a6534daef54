import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, PUBLISHED_JWT_SECRETS } from './app-config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Found {
  where: string;
  value: string;
}

/**
 * `JWT_SECRET=v`, `JWT_SECRET: 'v'`, `DEV_JWT_SECRET = "v"`, compose's `${JWT_SECRET:-v}`. The value
 * is read in a lookahead so that a value holding another assignment (`${JWT_SECRET:-v}` inside
 * `JWT_SECRET: …`) is scanned too. `${JWT_SECRET:?message}` names no value.
 */
const ASSIGNMENT = /JWT_SECRET['"]?[ \t]*(:-|:\?|[:=])(?=[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`|([^\s'"`,;)}\]]*)))/g;

export function jwtSecretsIn(text: string, file: string): Found[] {
  const found: Found[] = [];
  for (const match of text.matchAll(ASSIGNMENT)) {
    const [, operator, single, double, backtick, bare] = match;
    if (operator === ':?') continue;
    const value = single ?? double ?? backtick ?? bare ?? '';
    // An interpolation or a command substitution is not a value anyone can read off the file.
    if (value.startsWith('$')) continue;
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ where: `${file}:${line}`, value });
  }
  return found;
}

function trackedTextFiles(): { path: string; text: string }[] {
  const paths = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return paths.flatMap((path) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(ROOT, path));
    } catch {
      return []; // deleted in the work tree, not yet committed
    }
    return bytes.includes(0) ? [] : [{ path, text: bytes.toString('utf8') }];
  });
}

const refusedInProduction = (value: string) => {
  try {
    loadConfig({ NODE_ENV: 'production', JWT_SECRET: value });
    return false;
  } catch (error) {
    return error instanceof ConfigError;
  }
};

describe('JWT_SECRET values published in the repository', () => {
  // The samples are shorter than 16 characters: found by this very scan, they are refused anyway.
  it('reads assignments in env files, YAML, code and compose defaults, and skips the required-variable form', () => {
    const text = [
      'JWT_SECRET=envvalue',
      "  JWT_SECRET: 'yamlvalue'",
      'const DEV_JWT_SECRET = "codevalue";',
      'JWT_SECRET: ${JWT_SECRET:-dflt}',
      'X: ${JWT_SECRET:?say}',
    ].join('\n');
    expect(jwtSecretsIn(text, 'f').map((f) => f.value)).toEqual(['envvalue', 'yamlvalue', 'codevalue', 'dflt']);
    expect(jwtSecretsIn('JWT_SECRET=\nNEXT=1', 'f')).toEqual([{ where: 'f:1', value: '' }]);
  });

  it('finds the development default and the tests’ secret among the tracked files', () => {
    const found = trackedTextFiles().flatMap((f) => jwtSecretsIn(f.text, f.path));
    const values = new Set(found.map((f) => f.value));
    for (const known of PUBLISHED_JWT_SECRETS) expect(values).toContain(known);
  });

  it('refuses every one of them when NODE_ENV=production', () => {
    const found = trackedTextFiles().flatMap((f) => jwtSecretsIn(f.text, f.path));
    expect(found.length).toBeGreaterThanOrEqual(PUBLISHED_JWT_SECRETS.length);
    const accepted = found.filter((f) => !refusedInProduction(f.value));
    // Add each value listed here to PUBLISHED_JWT_SECRETS in app-config.ts.
    expect(accepted).toEqual([]);
  });
});
