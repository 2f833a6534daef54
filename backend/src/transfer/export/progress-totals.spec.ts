import { planRows, ProgressTotals } from './progress-totals.js';

describe('ProgressTotals', () => {
  it('sums the estimates before anything is written', () => {
    expect(new ProgressTotals([1, 100, 1000]).total(0, 0)).toBe(1101);
  });

  it('never shows fewer rows in total than are done when a table has more rows than estimated', () => {
    const totals = new ProgressTotals([10, 100]);
    totals.settle(0, 10);
    // 250 rows of the second table are out, the planner thought 100.
    expect(totals.total(1, 250)).toBe(260);
    expect(10 + 250).toBeLessThanOrEqual(totals.total(1, 250));
  });

  it('ends at the real count when the estimates were too high', () => {
    const totals = new ProgressTotals([500, 5000]);
    totals.settle(0, 40);
    expect(totals.total(1, 0)).toBe(5040);
    totals.settle(1, 400);
    expect(totals.total(1, 400)).toBe(440);
  });

  it('takes a missing or negative estimate as zero', () => {
    expect(new ProgressTotals([Number.NaN, -1, 3]).total(2, 0)).toBe(3);
  });
});

describe('planRows', () => {
  it('reads Plan Rows from EXPLAIN (FORMAT JSON)', () => {
    expect(planRows([{ Plan: { 'Node Type': 'Seq Scan', 'Plan Rows': 1234 } }])).toBe(1234);
  });

  it('is 0 for anything else', () => {
    expect(planRows(null)).toBe(0);
    expect(planRows([{}])).toBe(0);
    expect(planRows([{ Plan: { 'Plan Rows': 'many' } }])).toBe(0);
  });
});
