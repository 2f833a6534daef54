import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Role } from '../shared/api-types.js';

/** One signed-in session, saved per API address. */
export interface StoredSession {
  token: string;
  email: string;
  role: Role;
  tenantSlug: string | null;
  /** ISO 8601; the API refuses the token after this. */
  expiresAt: string;
  savedAt: string;
}

interface ConfigFile {
  version: 1;
  sessions: Record<string, StoredSession>;
}

/** `$XDG_CONFIG_HOME/rythm-data/config.json`, else `~/.config/rythm-data/config.json` (relative XDG paths are ignored, per the spec). */
export function configPath(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'rythm-data', 'config.json');
}

/**
 * The user's saved tokens, keyed by normalised API URL. The file holds bearer tokens, so it is
 * written 0600 in a 0700 directory, through a temporary file so a crash never leaves half a file.
 */
export class ConfigStore {
  constructor(readonly path: string) {}

  async get(api: string): Promise<StoredSession | null> {
    const { sessions } = await this.read();
    return Object.hasOwn(sessions, api) ? sessions[api] : null;
  }

  async set(api: string, session: StoredSession): Promise<void> {
    const config = await this.read();
    config.sessions[api] = session;
    await this.write(config);
  }

  /** True when there was a session to forget. */
  async remove(api: string): Promise<boolean> {
    const config = await this.read();
    if (!Object.hasOwn(config.sessions, api)) return false;
    delete config.sessions[api];
    await this.write(config);
    return true;
  }

  private async read(): Promise<ConfigFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sessions: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<ConfigFile>;
      const sessions = parsed.sessions && typeof parsed.sessions === 'object' ? parsed.sessions : {};
      return { version: 1, sessions: Object.assign(Object.create(null) as Record<string, StoredSession>, sessions) };
    } catch {
      // A damaged file only holds tokens: start afresh rather than lock the user out.
      return { version: 1, sessions: {} };
    }
  }

  private async write(config: ConfigFile): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      await chmod(temporary, 0o600); // the mode above is subject to the umask
      await rename(temporary, this.path);
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
