import { BundleRejected } from './import-types.js';
import { composeUpgrade, type UpgradeStep, upgradeStepsFor, versionTimestamp } from './schema-upgrade.js';

describe('schema upgrade steps', () => {
  const current = 'AddShoeSize1800000000000';
  /** A fake step for a future migration that renamed users.first_name to given_name and added shoe_size. */
  const step: UpgradeStep = {
    migration: 'RenameFirstName1790000000000',
    description: 'users.first_name → given_name; new users.shoe_size (null)',
    tables: (tables) =>
      tables.map((t) => (t.name === 'users' ? { name: t.name, columns: [...t.columns.map((c) => (c === 'first_name' ? 'given_name' : c)), 'shoe_size'] } : t)),
    row: (table, row) => {
      if (table !== 'users') return row;
      const { first_name: given, ...rest } = row;
      return { ...rest, given_name: given, shoe_size: null };
    },
  };
  const older: UpgradeStep = { migration: 'Older1700000000000', description: 'already in every bundle after it', tables: (t) => t };

  it('reads the timestamp suffix of a migration name', () => {
    expect(versionTimestamp('InitialSchema1764300000000')).toBe(1764300000000);
    expect(versionTimestamp('nope')).toBeNull();
  });

  it('needs no step for a bundle of the current schema', () => {
    expect(upgradeStepsFor(current, current, [step, older])).toEqual([]);
  });

  it('picks the steps after the bundle version, in order, and rewrites the manifest and the rows', () => {
    const steps = upgradeStepsFor('InitialSchema1764300000000', current, [step, older]);
    expect(steps).toEqual([step]);
    const upgrade = composeUpgrade(steps, [
      { name: 'users', columns: ['id', 'first_name'] },
      { name: 'sets', columns: ['id'] },
    ]);
    expect(upgrade.tables).toEqual([
      { name: 'users', columns: ['id', 'given_name', 'shoe_size'] },
      { name: 'sets', columns: ['id'] },
    ]);
    expect(upgrade.row!('users', { id: 'u1', first_name: 'Ada' })).toEqual({ id: 'u1', given_name: 'Ada', shoe_size: null });
    expect(upgrade.row!('sets', { id: 's1' })).toEqual({ id: 's1' });
  });

  it('refuses a bundle newer than the running schema, naming both versions', () => {
    expect(() => upgradeStepsFor('Future1900000000000', current, [])).toThrow(BundleRejected);
    expect(() => upgradeStepsFor('Future1900000000000', current, [])).toThrow(/newer than this server's schema AddShoeSize1800000000000/);
  });

  it('refuses a version that is not a migration name, or another migration of the same instant', () => {
    expect(() => upgradeStepsFor('latest', current, [])).toThrow(/not a migration name/);
    expect(() => upgradeStepsFor('Other1800000000000', current, [])).toThrow(/does not match/);
  });

  it("has no steps today, and today's schema needs none", () => {
    expect(upgradeStepsFor('InitialSchema1764300000000')).toEqual([]);
  });
});
