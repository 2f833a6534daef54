import { cloneFixture } from './support/clone-helpers.js';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';

// Waits for real cron ticks (a minute apart): pg-boss's schedule across two instances is what is under test.
const TICK_TIMEOUT_MS = 180_000;

describe('the scratch clean-up job with two instances on one database', () => {
  let first: TestApp;
  let second: TestApp;
  const expired: string[] = [];
  let live: string;
  let kept: string;

  beforeAll(async () => {
    const env = { SCRATCH_CLEANUP_CRON: '* * * * *' };
    first = await createTestApp({ env });
    const sys = await first.token(SYSADMIN);
    for (const slug of ['qa-expired-1', 'qa-expired-2', 'qa-expired-3'])
      expired.push((await cloneFixture(first, sys, { slug, ttlSeconds: 60 })).report.targetTenantId!);
    live = (await cloneFixture(first, sys, { slug: 'qa-live', ttlSeconds: 3600 })).report.targetTenantId!;
    kept = (await cloneFixture(first, sys, { slug: 'qa-not-scratch' })).report.targetTenantId!;
    // The second instance starts once the uploads are imported (each instance has its own DATA_DIR here).
    second = await createTestApp({ env, database: first.db });
    // Their time is up now, rather than in a minute.
    await first.dataSource.query(`UPDATE scratch_tenants SET expires_at = now() - interval '1 second' WHERE tenant_id = ANY($1)`, [expired]);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it(
    'removes the expired scratch tenants once, whichever instance takes the tick, and keeps the others',
    async () => {
      const deadline = Date.now() + 150_000;
      let left = expired.length;
      while (Date.now() < deadline) {
        [{ n: left }] = await first.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE id = ANY($1)`, [expired]);
        if (left === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(expired.every((id) => typeof id === 'string')).toBe(true);
      expect(left).toBe(0);
      // Give a second run every chance to show up before counting.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const deletions: { tenant_id: string; actor_email: string | null; params: { reason: string } }[] = await first.dataSource.query(
        `SELECT tenant_id, actor_email, params FROM audit_log WHERE action = 'tenant.delete' ORDER BY id`,
      );
      expect(deletions.map((d) => d.tenant_id).sort()).toEqual([...expired].sort());
      expect(deletions.every((d) => d.actor_email === null && d.params.reason === 'expired')).toBe(true);
      // One clean-up job per tick for the whole cluster, not one per instance.
      const perTick: { n: number }[] = await first.dataSource.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'rythm-scratch-cleanup' GROUP BY date_trunc('minute', created_on)`,
      );
      expect(perTick.length).toBeGreaterThan(0);
      expect(perTick.every((tick) => tick.n === 1)).toBe(true);
      const [{ n: remaining }] = await first.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE id = ANY($1)`, [[live, kept]]);
      expect(remaining).toBe(2);
      const [{ n: rows }] = await first.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = ANY($1)`, [expired]);
      expect(rows).toBe(0);
    },
    TICK_TIMEOUT_MS,
  );
});
