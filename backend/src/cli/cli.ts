import { APP_VERSION } from '../shared/version.js';
import { ApiError, ConnectionError, normalizeApiUrl } from './api-client.js';
import { closest, parseCommandArgs, splitCommand, wantsHelp } from './args.js';
import { type Command, CommandContext } from './command.js';
import { COMMANDS, findEntry, isGroup } from './commands/index.js';
import { ConfigStore, configPath } from './config-store.js';
import { CliFailure, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { errorsTable } from './commands/shared.js';
import { commandHelp, DEFAULT_API, groupHelp, mainHelp } from './help.js';
import { type CliIo, Output } from './io.js';

/** Runs one `rythm-data` invocation and returns its exit status. Never throws. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const out = new Output(io, beforeDashes.includes('--json'));
  let api = DEFAULT_API;
  let ctx: CommandContext | null = null;
  try {
    const { words, rest } = splitCommand(argv, (word) => isGroup(findEntry(word)));
    if (words[0] === 'help') return help(words.slice(1).concat(rest.filter((a) => !a.startsWith('-'))), out);
    if (words.length === 0) {
      if (beforeDashes.includes('--version')) {
        out.result({ version: APP_VERSION }, () => `rythm-data ${APP_VERSION}`);
        return EXIT_OK;
      }
      if (wantsHelp(argv)) return help([], out);
      io.stderr.write(`${mainHelp()}\n`);
      return EXIT_USAGE;
    }
    const { command, fullName, fallback } = resolve(words, argv, wantsHelp(rest), out);
    if (!command) return fullName === '' ? EXIT_OK : EXIT_USAGE;
    // A group's fallback (`import <file>`) takes every word after the group's as its arguments.
    const commandArgs = fallback ? splitCommand(argv, () => false).rest : rest;
    if (wantsHelp(commandArgs)) {
      out.print(commandHelp(command, fullName));
      return EXIT_OK;
    }
    const args = parseCommandArgs(commandArgs, command.options, fullName);
    const { min, max } = command.positionals;
    if (args.positionals.length < min)
      throw new UsageError(`Missing argument ${command.usage.split(' ')[0]}: rythm-data ${fullName} ${command.usage}`, fullName);
    if (args.positionals.length > max) throw new UsageError(`Unexpected argument "${args.positionals[max]}"`, fullName);
    try {
      api = normalizeApiUrl((args.values.api as string | undefined) ?? io.env.RYTHM_API ?? DEFAULT_API);
    } catch (error) {
      throw new UsageError(`--api: ${(error as Error).message}`, fullName);
    }
    ctx = new CommandContext(fullName, args, api, out, io, new ConfigStore(configPath(io.env)));
    return await command.run(ctx);
  } catch (error) {
    return report(error, out, io, api, ctx);
  }
}

/**
 * The command for the words typed. Unknown words are usage errors with a suggestion; a group
 * without a subcommand prints the group's help (stdout and exit 0 with --help, else stderr and 2).
 */
function resolve(words: string[], argv: string[], helpWanted: boolean, out: Output): { command: Command | null; fullName: string; fallback?: boolean } {
  const names = COMMANDS.map((c) => c.name);
  const entry = findEntry(words[0]);
  if (!entry) throw new UsageError(`Unknown command "${words[0]}".${suggest(words[0], names)} Commands: ${names.join(', ')}`);
  if (!isGroup(entry)) return { command: entry, fullName: entry.name };
  if (entry.fallback) {
    // A subcommand only right after the group's word: in `import --tenant undo x.json`, "undo" is a value.
    const adjacent = words.length === 2 && argv[argv.indexOf(words[0]) + 1] === words[1];
    const sub = adjacent ? entry.commands.find((c) => c.name === words[1]) : undefined;
    if (sub) return { command: sub, fullName: `${entry.name} ${sub.name}` };
    if (helpWanted && words.length < 2) {
      out.print(groupHelp(entry));
      return { command: null, fullName: '' };
    }
    return { command: entry.fallback, fullName: entry.name, fallback: true };
  }
  const subNames = entry.commands.map((c) => c.name);
  if (words.length < 2) {
    const fallback = entry.commands.find((c) => c.name === entry.defaultCommand);
    // The group's word alone runs its default (messages keep the word the user typed).
    if (fallback && !helpWanted) return { command: fallback, fullName: entry.name };
    if (helpWanted) {
      out.print(groupHelp(entry));
      return { command: null, fullName: '' };
    }
    throw new UsageError(`\`rythm-data ${entry.name}\` needs a subcommand: ${subNames.join(', ')}`, entry.name);
  }
  const sub = entry.commands.find((c) => c.name === words[1]);
  if (!sub)
    throw new UsageError(`Unknown subcommand "${entry.name} ${words[1]}".${suggest(words[1], subNames)} Subcommands: ${subNames.join(', ')}`, entry.name);
  return { command: sub, fullName: `${entry.name} ${sub.name}` };
}

function suggest(word: string, known: string[]): string {
  const near = closest(word, known);
  return near ? ` Did you mean "${near}"?` : '';
}

function help(topic: string[], out: Output): number {
  if (topic.length === 0) {
    out.print(mainHelp());
    return EXIT_OK;
  }
  const entry = findEntry(topic[0]);
  if (!entry) throw new UsageError(`No help for "${topic[0]}": unknown command. Commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  if (!isGroup(entry)) out.print(commandHelp(entry, entry.name));
  else {
    const sub = topic[1] ? entry.commands.find((c) => c.name === topic[1]) : undefined;
    out.print(sub ? commandHelp(sub, `${entry.name} ${sub.name}`) : groupHelp(entry));
  }
  return EXIT_OK;
}

/** Errors become one readable message on stderr (and a JSON document with --json), never a stack trace. */
function report(error: unknown, out: Output, io: CliIo, api: string, ctx: CommandContext | null): number {
  let exitCode = EXIT_FAILED;
  let message: string;
  let detail: Record<string, unknown> = {};
  let extra = '';
  if (error instanceof UsageError) {
    exitCode = EXIT_USAGE;
    message = error.message;
    detail = { code: 'USAGE' };
    extra = `Run \`rythm-data ${error.command ? `${error.command} ` : ''}--help\` for usage.`;
  } else if (error instanceof CliFailure) {
    message = error.message;
    detail = error.detail;
  } else if (error instanceof ConnectionError) {
    message = error.message;
    detail = { code: 'UNREACHABLE', reason: error.reason };
    if (!io.env.RYTHM_API && api === DEFAULT_API) extra = 'Point the CLI at the server with --api <url> or RYTHM_API.';
  } else if (error instanceof ApiError) {
    message = error.body.message;
    detail = { code: error.body.code, status: error.status, fields: error.body.fields, errors: error.body.errors };
    if (error.status === 401) {
      extra =
        ctx?.tokenSource === 'RYTHM_TOKEN' ? 'The token comes from RYTHM_TOKEN: replace or unset it.' : `Sign in again: \`rythm-data login --api ${api}\``;
    } else if (error.status === 404 && /^Cannot (GET|POST|PUT|DELETE)/.test(error.body.message)) {
      message = `This API has no ${error.method} ${error.path.split('?')[0]}: is ${api} a RYTHM Data API of a matching version?`;
    }
    const lines = (error.body.fields ?? []).map((f) => `  ${f.field}: ${f.message}`);
    if (error.body.errors?.length) lines.push(errorsTable(error.body.errors));
    if (lines.length > 0) extra = [lines.join('\n'), extra].filter(Boolean).join('\n');
  } else {
    message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    detail = { code: 'INTERNAL' };
    if (io.env.RYTHM_DEBUG && error instanceof Error && error.stack) extra = error.stack;
  }
  io.stderr.write(`Error: ${message}\n${extra ? `${extra}\n` : ''}`);
  if (out.jsonMode && !out.hasWrittenResult) out.json({ error: { message, exitCode, ...detail } });
  return exitCode;
}
