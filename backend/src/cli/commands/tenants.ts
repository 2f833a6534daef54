import type { SetTenantPasswordResult, TenantDeleted, TenantSummary, TenantUserView } from '../../shared/api-types.js';
import type { Command, CommandGroup } from '../command.js';
import { CliFailure, EXIT_OK, UsageError } from '../errors.js';
import { formatTime, keyValues, table } from '../format.js';
import { resolveTenant } from './shared.js';

const list: Command = {
  name: 'list',
  summary: 'List the tenants you may export (an org admin sees their own); `tenants` alone does the same',
  usage: '',
  positionals: { min: 0, max: 0 },
  options: {},
  async run(ctx) {
    const client = await ctx.client();
    const tenants = await client.get<TenantSummary[]>('/api/tenants');
    ctx.out.result(tenants, () =>
      tenants.length === 0
        ? 'No tenants.'
        : table(
            ['slug', 'name', 'id', 'users', 'sessions', 'sets', 'scratch'],
            tenants.map((t) => [
              t.slug,
              t.name,
              t.id,
              t.users,
              t.sessions,
              t.sets,
              t.scratch ? (t.expiresAt ? `until ${formatTime(t.expiresAt)}` : 'yes') : '',
            ]),
          ),
    );
    return EXIT_OK;
  },
};

const remove: Command = {
  name: 'delete',
  summary: 'Delete a tenant and all its rows (system admins; a backup first unless it is scratch)',
  usage: '<slug|id> [--yes]',
  description: [
    'Deletes every row of the tenant in one transaction under its lock, and its finished jobs and',
    'their files. A tenant that is not scratch is backed up first (kind pre-delete: restoring it',
    'brings the tenant back); a scratch tenant (a QA clone) is not. On a terminal it asks for the',
    "tenant's slug to be typed back; in a script, --yes confirms with the slug resolved here.",
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  options: { yes: { type: 'boolean', description: 'Do not ask: confirm with the tenant’s slug (scripts, CI)' } },
  examples: ['rythm-data tenants delete qa-run-42 --yes', 'rythm-data tenants delete 3f2c…-id'],
  async run(ctx) {
    const client = await ctx.client();
    const target = await resolveTenant(client, ctx.args.positionals[0]);
    const tenant = (await client.get<TenantSummary[]>('/api/tenants')).find((t) => t.id === target.id);
    if (!tenant) throw new CliFailure(`No tenant ${ctx.args.positionals[0]} is visible to you: \`rythm-data tenants\` lists them`, { code: 'UNKNOWN_TENANT' });
    let confirm = tenant.slug;
    if (!ctx.flag('yes')) {
      if (!ctx.io.stdinIsTTY) throw new UsageError('Deleting a tenant needs --yes when not running in a terminal', ctx.command);
      const what = tenant.scratch ? 'a scratch tenant: no backup is taken' : 'a backup is taken first';
      confirm = (
        await ctx.io.prompt(
          `Delete tenant ${tenant.slug} (${tenant.name}): ${tenant.users} users, ${tenant.sessions} sessions, ${tenant.sets} sets (${what}). Type its slug to go on: `,
        )
      ).trim();
    }
    const deleted = await client.send('DELETE', `/api/tenants/${encodeURIComponent(tenant.id)}`, {
      body: JSON.stringify({ confirm }),
      headers: { 'content-type': 'application/json' },
    });
    const result = (await deleted.json()) as TenantDeleted;
    ctx.out.result(result, () => {
      const rows = Object.values(result.rowsDeleted).reduce((n, v) => n + v, 0);
      const lines = [`Deleted tenant ${result.slug} (${result.name}): ${rows} rows in ${result.durationMs} ms.`];
      lines.push(
        result.backupId
          ? `Backup ${result.backupId} (pre-delete) was taken first: \`rythm-data backups restore ${result.backupId}\` brings it back.`
          : 'A scratch tenant: no backup was taken.',
      );
      return lines.join('\n');
    });
    return EXIT_OK;
  },
};

const users: Command = {
  name: 'users',
  summary: "List a tenant's users: email, role, name, whether they can sign in",
  usage: '<slug|id>',
  positionals: { min: 1, max: 1 },
  options: {},
  async run(ctx) {
    const client = await ctx.client();
    const tenant = await resolveTenant(client, ctx.args.positionals[0]);
    const rows = await client.get<TenantUserView[]>(`/api/tenants/${encodeURIComponent(tenant.id)}/users`);
    ctx.out.result(rows, () =>
      rows.length === 0
        ? 'No users.'
        : table(
            ['email', 'role', 'name', 'sign-in'],
            rows.map((u) => [u.email, u.role, `${u.firstName} ${u.lastName}`.trim(), u.canSignIn ? 'yes' : 'no password']),
          ),
    );
    return EXIT_OK;
  },
};

const setPassword: Command = {
  name: 'set-password',
  summary: 'Give every user of a tenant one password (system admins; QA clones)',
  usage: '<slug|id> [--password <password>]',
  description: 'The password comes from --password, else RYTHM_TENANT_PASSWORD, else it is asked on the terminal (not echoed).',
  positionals: { min: 1, max: 1 },
  options: { password: { type: 'string', value: '<password>', description: 'The password (8–200 characters; default $RYTHM_TENANT_PASSWORD)' } },
  async run(ctx) {
    const password =
      ctx.string('password') ??
      ctx.io.env.RYTHM_TENANT_PASSWORD ??
      (ctx.io.stdinIsTTY ? await ctx.io.prompt('Password for every user: ', { hidden: true }) : undefined);
    if (!password) throw new UsageError('--password or RYTHM_TENANT_PASSWORD is required when not running in a terminal', ctx.command);
    const client = await ctx.client();
    const tenant = await resolveTenant(client, ctx.args.positionals[0]);
    const result = await client.post<SetTenantPasswordResult>(`/api/tenants/${encodeURIComponent(tenant.id)}/password`, { password });
    ctx.out.result(result, () =>
      keyValues([
        ['tenant', tenant.slug ?? tenant.id],
        ['users updated', String(result.usersUpdated)],
      ]),
    );
    return EXIT_OK;
  },
};

export const tenantsGroup: CommandGroup = {
  name: 'tenants',
  summary: 'Tenants: list, delete, users, set-password',
  commands: [list, remove, users, setPassword],
  defaultCommand: 'list',
};
