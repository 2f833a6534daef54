import type { ImportStrategy } from '../../shared/api-types.js';

/**
 * The whole meaning of each import strategy, in one table (DESIGN §5): what it does with a
 * bundle row that is new, one that differs from the database, one that is equal, and a row of
 * the scope that the bundle does not hold. Classification (plan.ts), validation (validate.ts)
 * and apply (apply.ts) read it; none of them tests a strategy by name.
 */
export interface Strategy {
  /** A bundle row whose id is not in the database. */
  newRow: 'insert';
  /** A bundle row that differs from the database row with its id. */
  changedRow: 'update' | 'skip';
  /** A bundle row equal to the database row on every column of the bundle. */
  unchangedRow: 'unchanged';
  /** A row in the import's scope that the bundle does not hold. */
  missingRow: 'delete' | 'keep';
  /**
   * The bundle must be complete (not exported with a date range or modifiedSince): deleting
   * the missing rows of a partial bundle would delete everything outside its range.
   */
  needsCompleteBundle: boolean;
}

export const STRATEGIES: Record<ImportStrategy, Strategy> = {
  replace: { newRow: 'insert', changedRow: 'update', unchangedRow: 'unchanged', missingRow: 'delete', needsCompleteBundle: true },
  merge: { newRow: 'insert', changedRow: 'update', unchangedRow: 'unchanged', missingRow: 'keep', needsCompleteBundle: false },
  skip: { newRow: 'insert', changedRow: 'skip', unchangedRow: 'unchanged', missingRow: 'keep', needsCompleteBundle: false },
};

/** Whether the strategy deletes the scope's rows that the bundle leaves out. */
export const deletesMissing = (strategy: ImportStrategy) => STRATEGIES[strategy].missingRow === 'delete';
