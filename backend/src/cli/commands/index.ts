import type { Command, CommandGroup } from '../command.js';
import { auditGroup } from './audit.js';
import { loginCommand, logoutCommand, whoamiCommand } from './auth.js';
import { backupsGroup } from './backups.js';
import { exportCommand } from './export.js';
import { importGroup } from './import.js';
import { jobsGroup } from './jobs.js';
import { tenantsGroup } from './tenants.js';
import { tokensGroup } from './tokens.js';

/** The command table: top-level commands and groups of subcommands, in help order. */
export const COMMANDS: (Command | CommandGroup)[] = [
  loginCommand,
  logoutCommand,
  whoamiCommand,
  tenantsGroup,
  exportCommand,
  importGroup,
  backupsGroup,
  jobsGroup,
  auditGroup,
  tokensGroup,
];

export const isGroup = (entry: Command | CommandGroup | undefined): entry is CommandGroup => entry !== undefined && 'commands' in entry;

export function findEntry(name: string): Command | CommandGroup | undefined {
  return COMMANDS.find((entry) => entry.name === name);
}
