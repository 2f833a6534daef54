import type { LoginRequest, LoginResponse, UserView } from '../../shared/api-types.js';
import { ApiError } from '../api-client.js';
import type { Command } from '../command.js';
import { CliFailure, EXIT_OK, UsageError } from '../errors.js';
import { keyValues } from '../format.js';
import { SLUG_PATTERN, SLUG_RULE } from '../../shared/patterns.js';

export const loginCommand: Command = {
  name: 'login',
  summary: 'Sign in and save the access token for this API',
  usage: '[--email <email>] [--password <password>] [--tenant <slug>]',
  description: [
    'Signs in to the API and saves the token in $XDG_CONFIG_HOME/rythm-data/config.json',
    '(or ~/.config/rythm-data/config.json, mode 0600), one per API address.',
    'Without --email or --password it asks on the terminal; RYTHM_PASSWORD is read when set',
    '(safer than --password, which other users can see in the process list).',
    "An email with accounts in several organisations needs --tenant (the organisation's slug):",
    'sign-in never guesses which one is meant.',
  ].join('\n'),
  positionals: { min: 0, max: 0 },
  options: {
    email: { type: 'string', value: '<email>', description: 'Account email' },
    password: { type: 'string', value: '<password>', description: 'Password (default: $RYTHM_PASSWORD, else asked)' },
    tenant: { type: 'string', value: '<slug>', description: 'The organisation of the account, when the email has several' },
  },
  examples: [
    'rythm-data login --api https://data.example.com --email sysadmin@rythm.example',
    'RYTHM_PASSWORD=… rythm-data login --email qa@example.com',
    'rythm-data login --email coach1@northside.example --tenant northside',
  ],
  async run(ctx) {
    const interactive = ctx.io.stdinIsTTY;
    const email = ctx.string('email') ?? (interactive ? (await ctx.io.prompt('Email: ')).trim() : undefined);
    if (!email) throw new UsageError('--email is required when not running in a terminal', ctx.command);
    const password = ctx.string('password') ?? ctx.io.env.RYTHM_PASSWORD ?? (interactive ? await ctx.io.prompt('Password: ', { hidden: true }) : undefined);
    if (!password) throw new UsageError('--password or RYTHM_PASSWORD is required when not running in a terminal', ctx.command);
    const tenant = ctx.string('tenant');
    if (tenant !== undefined && !SLUG_PATTERN.test(tenant)) throw new UsageError(`--tenant: expected a tenant slug, ${SLUG_RULE}`, ctx.command);
    const request: LoginRequest = { email, password };
    if (tenant) request.tenant = tenant;
    let response: LoginResponse;
    try {
      response = await ctx.anonymous().post<LoginResponse>('/api/auth/login', request);
    } catch (error) {
      if (error instanceof ApiError && error.body.code === 'TENANT_REQUIRED') {
        throw new CliFailure(`Sign-in to ${ctx.api} failed: ${error.body.message.replace(/ \(the tenant slug.*\)$/, '')}: add --tenant <slug>`, {
          code: error.body.code,
          status: error.status,
        });
      }
      if (error instanceof ApiError && (error.status === 401 || error.status === 400 || error.status === 429)) {
        throw new CliFailure(`Sign-in to ${ctx.api} failed: ${error.body.message}`, { code: error.body.code, status: error.status });
      }
      throw error;
    }
    const expiresAt = new Date(Date.now() + response.expiresIn * 1000).toISOString();
    await ctx.store.set(ctx.api, {
      token: response.accessToken,
      email: response.user.email,
      role: response.user.role,
      tenantSlug: response.user.tenantSlug,
      expiresAt,
      savedAt: new Date().toISOString(),
    });
    if (response.user.role !== 'system_admin' && response.user.role !== 'org_admin') {
      ctx.out.note(`Note: ${response.user.role} accounts cannot use RYTHM Data; the API refuses every command but whoami.`);
    }
    if (ctx.io.env.RYTHM_TOKEN) ctx.out.note('Note: RYTHM_TOKEN is set and takes precedence over the saved token; unset it to use this sign-in.');
    ctx.out.result({ api: ctx.api, user: response.user, expiresAt, configFile: ctx.store.path }, () =>
      [
        `Signed in to ${ctx.api} as ${response.user.email} (${describeRole(response.user)}).`,
        `Token saved in ${ctx.store.path}, valid until ${expiresAt}.`,
      ].join('\n'),
    );
    return EXIT_OK;
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Forget the saved access token for this API',
  usage: '',
  positionals: { min: 0, max: 0 },
  options: {},
  async run(ctx) {
    const removed = await ctx.store.remove(ctx.api);
    ctx.out.result({ api: ctx.api, signedOut: removed }, () => (removed ? `Signed out of ${ctx.api}.` : `Not signed in to ${ctx.api}: nothing to do.`));
    if (ctx.io.env.RYTHM_TOKEN) ctx.out.note('Note: RYTHM_TOKEN is still set and still signs requests in.');
    return EXIT_OK;
  },
};

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show who is signed in to this API',
  usage: '',
  positionals: { min: 0, max: 0 },
  options: {},
  async run(ctx) {
    const client = await ctx.client();
    const user = await client.get<UserView>('/api/auth/me');
    const session = ctx.tokenSource === 'saved' ? await ctx.store.get(ctx.api) : null;
    ctx.out.result({ api: ctx.api, user, tokenSource: ctx.tokenSource, expiresAt: session?.expiresAt ?? null }, () =>
      keyValues([
        ['api', ctx.api],
        ['user', `${user.email} (${user.firstName} ${user.lastName})`.trim()],
        ['role', user.role],
        ['tenant', user.tenantSlug ?? (user.role === 'system_admin' ? 'all (system admin)' : null)],
        ['token', ctx.tokenSource === 'RYTHM_TOKEN' ? 'from RYTHM_TOKEN' : `saved, valid until ${session?.expiresAt ?? '?'}`],
      ]),
    );
    return EXIT_OK;
  },
};

function describeRole(user: UserView): string {
  return user.tenantSlug ? `${user.role}, ${user.tenantSlug}` : user.role;
}
