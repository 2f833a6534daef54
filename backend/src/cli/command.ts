import { ApiClient } from './api-client.js';
import type { OptionSpecs, ParsedArgs } from './args.js';
import type { ConfigStore } from './config-store.js';
import { CliFailure } from './errors.js';
import type { CliIo, Output } from './io.js';

/** One runnable command (`tenants`) or subcommand (`restore` in `backups restore`). */
export interface Command {
  /** The word typed: `tenants`, or `restore` inside the `backups` group. */
  name: string;
  summary: string;
  /** Arguments after the command words, for help: `<file> [options]`. */
  usage: string;
  /** Longer help: what the command does, defaults, exit status. */
  description?: string;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  options: OptionSpecs;
  examples?: string[];
  run(ctx: CommandContext): Promise<number>;
}

/** Commands under one word: `backups list`, `backups create`… */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
  /** The subcommand that the group's word alone runs (`tenants` = `tenants list`), if any. */
  defaultCommand?: string;
  /**
   * The command that runs when the word after the group's is not one of its subcommands, with
   * that word as its first argument: `import <file>` beside `import undo <job>`.
   */
  fallback?: Command;
}

export type TokenSource = 'RYTHM_TOKEN' | 'saved' | null;

/** What a command gets to do its work. */
export class CommandContext {
  private tokenSourceValue: TokenSource = null;

  constructor(
    /** Full command name for messages: `backups restore`. */
    readonly command: string,
    readonly args: ParsedArgs,
    /** Normalised API address, the key of the saved session. */
    readonly api: string,
    readonly out: Output,
    readonly io: CliIo,
    readonly store: ConfigStore,
  ) {}

  get tokenSource(): TokenSource {
    return this.tokenSourceValue;
  }

  string(name: string): string | undefined {
    const value = this.args.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  flag(name: string): boolean {
    return this.args.values[name] === true;
  }

  /** A client without a token (sign-in). */
  anonymous(): ApiClient {
    return new ApiClient(this.api, null, this.io.fetch);
  }

  /** A client with RYTHM_TOKEN or the saved token for this API; refuses early when there is none. */
  async client(): Promise<ApiClient> {
    const fromEnv = this.io.env.RYTHM_TOKEN?.trim();
    if (fromEnv) {
      this.tokenSourceValue = 'RYTHM_TOKEN';
      return new ApiClient(this.api, fromEnv, this.io.fetch);
    }
    const session = await this.store.get(this.api);
    if (!session) throw new CliFailure(`Not signed in to ${this.api}: run \`rythm-data login --api ${this.api}\``, { code: 'NOT_SIGNED_IN' });
    if (Date.parse(session.expiresAt) <= Date.now()) {
      throw new CliFailure(`Your session at ${this.api} expired at ${session.expiresAt}: run \`rythm-data login --api ${this.api}\``, {
        code: 'SESSION_EXPIRED',
      });
    }
    this.tokenSourceValue = 'saved';
    return new ApiClient(this.api, session.token, this.io.fetch);
  }
}
