import type { AdminRole, ApiTokenCreated, ApiTokenView, CreateApiTokenRequest } from '../../shared/api-types.js';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, API_TOKEN_NAME_PATTERN, API_TOKEN_NAME_RULE } from '../../shared/limits.js';
import { UUID_ANY_CASE } from '../../shared/patterns.js';
import type { Command, CommandGroup } from '../command.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { formatTime, table } from '../format.js';
import { resolveTenant } from './shared.js';

const ROLES = ['system_admin', 'org_admin'] as const;

const create: Command = {
  name: 'create',
  summary: 'Make a named API token for CI (system admins, signed in); its secret is shown once',
  usage: '--name <name> --role system_admin|org_admin [--tenant <slug|id>] [--days <n>]',
  description: [
    'Prints the token (rdt_…) once: store it as a CI secret and pass it as RYTHM_TOKEN. The API',
    'keeps only its sha256. An org_admin token acts on one tenant (--tenant); a system_admin token',
    `on every tenant. It expires after --days (1–${API_TOKEN_MAX_DAYS}, default ${API_TOKEN_DEFAULT_DAYS}); revoke it sooner with \`tokens revoke\`.`,
  ].join('\n'),
  positionals: { min: 0, max: 0 },
  options: {
    name: { type: 'string', value: '<name>', description: `What it is for (${API_TOKEN_NAME_RULE})` },
    role: { type: 'string', value: '<role>', choices: ROLES, description: 'system_admin or org_admin' },
    tenant: { type: 'string', value: '<slug|id>', description: 'The tenant of an org_admin token' },
    days: { type: 'string', value: '<n>', description: `Days until it expires (1–${API_TOKEN_MAX_DAYS}, default ${API_TOKEN_DEFAULT_DAYS})` },
  },
  examples: [
    'rythm-data tokens create --name ci-nightly --role system_admin --days 90',
    'rythm-data tokens create --name northside-ci --role org_admin --tenant northside',
  ],
  async run(ctx) {
    const name = ctx.string('name');
    if (!name) throw new UsageError('--name is required: what the token is for (ci-nightly)', ctx.command);
    if (!API_TOKEN_NAME_PATTERN.test(name)) throw new UsageError(`--name: expected ${API_TOKEN_NAME_RULE}`, ctx.command);
    const role = ctx.string('role') as AdminRole | undefined;
    if (!role) throw new UsageError('--role is required: system_admin or org_admin', ctx.command);
    const tenant = ctx.string('tenant');
    if (role === 'org_admin' && !tenant) throw new UsageError('--role org_admin needs --tenant <slug|id>: the one tenant it acts on', ctx.command);
    if (role === 'system_admin' && tenant) throw new UsageError('--tenant goes with --role org_admin: a system_admin token acts on every tenant', ctx.command);
    const daysText = ctx.string('days');
    const days = daysText === undefined ? undefined : Number(daysText);
    if (days !== undefined && (!/^\d+$/.test(daysText!) || days < 1 || days > API_TOKEN_MAX_DAYS)) {
      throw new UsageError(`--days must be a whole number from 1 to ${API_TOKEN_MAX_DAYS}, got "${daysText}"`, ctx.command);
    }
    const client = await ctx.client();
    const request: CreateApiTokenRequest = { name, role };
    if (tenant) request.tenantId = (await resolveTenant(client, tenant)).id;
    if (days !== undefined) request.expiresInDays = days;
    const created = await client.post<ApiTokenCreated>('/api/api-tokens', request);
    if (!ctx.out.jsonMode)
      ctx.out.note(`API token "${created.name}" (${describe(created)}) expires ${formatTime(created.expiresAt)}. Its secret follows, shown this once:`);
    ctx.out.result(created, () => created.token);
    return EXIT_OK;
  },
};

const list: Command = {
  name: 'list',
  summary: 'List API tokens: name, role, tenant, created, last used, expiry, status',
  usage: '',
  positionals: { min: 0, max: 0 },
  options: {},
  async run(ctx) {
    const client = await ctx.client();
    const tokens = await client.get<ApiTokenView[]>('/api/api-tokens');
    ctx.out.result(tokens, () =>
      tokens.length === 0
        ? 'No API tokens.'
        : table(
            ['id', 'name', 'role', 'tenant', 'token', 'created', 'last used', 'expires', 'status'],
            tokens.map((k) => [
              k.id,
              k.name,
              k.role,
              k.tenantSlug ?? (k.role === 'system_admin' ? 'all' : k.tenantId),
              `${k.hint}…`,
              formatTime(k.createdAt),
              k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never',
              formatTime(k.expiresAt),
              k.status,
            ]),
          ),
    );
    return EXIT_OK;
  },
};

const revoke: Command = {
  name: 'revoke',
  summary: 'Revoke an API token: refused from its next request on',
  usage: '<token-id>',
  positionals: { min: 1, max: 1 },
  options: {},
  async run(ctx) {
    const id = ctx.args.positionals[0];
    if (!UUID_ANY_CASE.test(id)) throw new UsageError(`Give the token's id (a UUID, as \`rythm-data tokens list\` shows), got "${id}"`, ctx.command);
    const client = await ctx.client();
    const response = await client.send('DELETE', `/api/api-tokens/${id.toLowerCase()}`);
    const revoked = (await response.json()) as ApiTokenView;
    ctx.out.result(revoked, () => `API token "${revoked.name}" revoked at ${formatTime(revoked.revokedAt)}: it is refused from its next request on.`);
    return EXIT_OK;
  },
};

function describe(token: ApiTokenView): string {
  return token.role === 'org_admin' ? `org_admin of ${token.tenantSlug ?? token.tenantId}` : 'system_admin';
}

export const tokensGroup: CommandGroup = { name: 'tokens', summary: 'API tokens for CI (system admins)', commands: [create, list, revoke] };
