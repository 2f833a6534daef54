import type { TenantSummary } from '../../shared/api-types.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../errors.js';
import { table } from '../format.js';

export const tenantsCommand: Command = {
  name: 'tenants',
  summary: 'List the tenants you may export (an org admin sees their own)',
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
            ['slug', 'name', 'id', 'users', 'sessions', 'sets'],
            tenants.map((t) => [t.slug, t.name, t.id, t.users, t.sessions, t.sets]),
          ),
    );
    return EXIT_OK;
  },
};
