/**
 * The row total an export's progress shows, without counting the rows first: the planner's
 * estimate of each table (EXPLAIN, a few milliseconds) until the table has been written, then
 * its real count. The table being written counts as at least the rows already seen, so the
 * total never falls below what is done (progress never passes 100%), and once every table is
 * written it is the real total.
 */
export class ProgressTotals {
  private readonly counts: number[];
  private readonly settled: boolean[];

  constructor(estimates: number[]) {
    this.counts = estimates.map((n) => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0));
    this.settled = estimates.map(() => false);
  }

  /** The total while table `index` is being written and `rowsInTable` of its rows are out. */
  total(index: number, rowsInTable: number): number {
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      sum += i === index && !this.settled[i] ? Math.max(this.counts[i], rowsInTable) : this.counts[i];
    }
    return sum;
  }

  /** Table `index` is written: its real count replaces the estimate. */
  settle(index: number, rows: number): void {
    this.counts[index] = rows;
    this.settled[index] = true;
  }
}

/** The planner's row estimate from `EXPLAIN (FORMAT JSON)` output; 0 when it has none. */
export function planRows(explain: unknown): number {
  const plan = (Array.isArray(explain) ? explain[0] : undefined) as { Plan?: { 'Plan Rows'?: unknown } } | undefined;
  const rows = Number(plan?.Plan?.['Plan Rows']);
  return Number.isFinite(rows) && rows > 0 ? rows : 0;
}
