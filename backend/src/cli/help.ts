import type { OptionSpec, OptionSpecs } from './args.js';
import { GLOBAL_OPTIONS } from './args.js';
import type { Command, CommandGroup } from './command.js';
import { COMMANDS, isGroup } from './commands/index.js';

const DEFAULT_API = 'http://localhost:3000';

function optionLines(options: OptionSpecs): string[] {
  const entries = Object.entries(options).map(([name, spec]) => [optionLabel(name, spec), spec.description] as const);
  const width = Math.max(...entries.map(([label]) => label.length));
  return entries.map(([label, description]) => `  ${label.padEnd(width)}  ${description}`);
}

function optionLabel(name: string, spec: OptionSpec): string {
  const long = `--${name}${spec.value ? ` ${spec.value}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : `    ${long}`;
}

function commandRow(name: string, command: Command): [string, string] {
  return [`${name}${command.positionals.min > 0 ? ` ${command.usage.split(' ')[0]}` : ''}`, command.summary];
}

function commandRows(): [string, string][] {
  const rows: [string, string][] = [];
  for (const entry of COMMANDS) {
    if (!isGroup(entry)) rows.push(commandRow(entry.name, entry));
    else {
      if (entry.fallback) rows.push(commandRow(entry.name, entry.fallback));
      for (const sub of entry.commands) rows.push(commandRow(`${entry.name} ${sub.name}`, sub));
    }
  }
  return rows;
}

const FOOTER = [
  'Environment:',
  `  RYTHM_API        API address (default ${DEFAULT_API})`,
  '  RYTHM_TOKEN      Token to use instead of the saved one: an API token (rdt_…, `tokens create`) in CI',
  '  RYTHM_PASSWORD   Password for `login`',
  '  RYTHM_TENANT_PASSWORD  Password for `tenants set-password`',
  '  XDG_CONFIG_HOME  Where the token is saved (rythm-data/config.json)',
  '',
  'Exit status: 0 success; 1 failed (validation errors, failed job, API refusal, API unreachable);',
  '2 usage error (unknown command or option, missing argument).',
];

export function mainHelp(): string {
  const rows = commandRows();
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'rythm-data: export, import, back up and restore RYTHM data through the RYTHM Data API',
    '',
    'Usage: rythm-data <command> [options]',
    '',
    'Commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Global options:',
    ...optionLines({ ...GLOBAL_OPTIONS, version: { type: 'boolean', description: 'Print the version' } }),
    '',
    'Run `rythm-data <command> --help` for the options of a command.',
    '',
    ...FOOTER,
  ].join('\n');
}

export function groupHelp(group: CommandGroup): string {
  // A group with a fallback reads as that command, with its subcommands after it (`import`, `import undo`).
  if (group.fallback) {
    const width = Math.max(...group.commands.map((c) => c.name.length + 1 + c.usage.length));
    return [
      commandHelp(group.fallback, group.name),
      '',
      'Subcommands:',
      ...group.commands.map((c) => `  ${`${c.name} ${c.usage}`.trim().padEnd(width)}  ${c.summary}`),
      '',
      `Run \`rythm-data ${group.name} <subcommand> --help\` for details.`,
    ].join('\n');
  }
  const width = Math.max(...group.commands.map((c) => c.name.length + 1 + c.usage.length));
  return [
    `rythm-data ${group.name}: ${group.summary}`,
    '',
    `Usage: rythm-data ${group.name} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...group.commands.map((c) => `  ${`${c.name} ${c.usage}`.trim().padEnd(width)}  ${c.summary}`),
    '',
    `Run \`rythm-data ${group.name} <subcommand> --help\` for details.`,
  ].join('\n');
}

export function commandHelp(command: Command, fullName: string): string {
  const lines = [`rythm-data ${fullName}: ${command.summary}`, '', `Usage: rythm-data ${fullName} ${command.usage}`.trimEnd()];
  if (command.description) lines.push('', command.description);
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export { DEFAULT_API };
