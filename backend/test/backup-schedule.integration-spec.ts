import { createTestApp, type TestApp } from './support/test-app.js';

// Waits for a real cron tick (at most about a minute): pg-boss's schedule is what is under test.
const TICK_TIMEOUT_MS = 150_000;

describe('scheduled backups with two instances on one database', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const env = { BACKUP_CRON: '* * * * *' };
    first = await createTestApp({ env });
    second = await createTestApp({ env, database: first.db });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it(
    'runs the scheduled backup once per tick, not once per instance',
    async () => {
      const deadline = Date.now() + 130_000;
      let rows: { minute: string; n: number }[] = [];
      while (Date.now() < deadline) {
        rows = await first.dataSource.query(
          `SELECT date_trunc('minute', created_at)::text AS minute, count(*)::int AS n FROM data_jobs WHERE type = 'backup' AND params->>'kind' = 'scheduled' AND status = 'succeeded' GROUP BY 1`,
        );
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(rows.length).toBeGreaterThan(0);
      // Give a duplicate every chance to show up before counting.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const perTick: { n: number }[] = await first.dataSource.query(
        `SELECT count(*)::int AS n FROM data_jobs WHERE type = 'backup' AND params->>'kind' = 'scheduled' GROUP BY date_trunc('minute', created_at)`,
      );
      expect(perTick.every((tick) => tick.n === 1)).toBe(true);
      const backups: { kind: string; scope: string }[] = await first.dataSource.query(`SELECT kind, scope FROM backups WHERE kind = 'scheduled'`);
      expect(backups.length).toBe(perTick.length);
      expect(backups[0]).toEqual({ kind: 'scheduled', scope: 'full' });
    },
    TICK_TIMEOUT_MS,
  );
});
