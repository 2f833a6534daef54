import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source.js';
import { DOMAIN_ENTITIES } from '../../domain/index.js';
import { ROW_RULES, UNIQUE_KEYS } from './rules.js';
import { tenantLockKey } from './tenant-lock.js';

const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
beforeAll(async () => {
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
});

describe('import rules', () => {
  it('checks every unique index of the domain entities after an import (add one → list it in rules.ts)', () => {
    const fromEntities = DOMAIN_ENTITIES.map((e) => dataSource.getMetadata(e)).flatMap((m) => [
      ...m.indices.filter((i) => i.isUnique).map((i) => ({ table: m.tableName, columns: i.columns.map((c) => c.databaseName), where: i.where ?? undefined })),
      ...m.uniques.map((u) => ({ table: m.tableName, columns: u.columns.map((c) => c.databaseName), where: undefined })),
      ...m.columns
        .filter((c) => c.isPrimary === false && (c as unknown as { isUnique?: boolean }).isUnique)
        .map((c) => ({ table: m.tableName, columns: [c.databaseName], where: undefined })),
    ]);
    const key = (k: { table: string; columns: string[]; where?: string }) => `${k.table}(${k.columns.join(',')})${k.where ? ` WHERE ${k.where}` : ''}`;
    expect(new Set(UNIQUE_KEYS.map(key))).toEqual(new Set(fromEntities.map(key)));
  });

  it('names only columns that exist', () => {
    for (const rule of ROW_RULES) {
      const columns = dataSource.getMetadata(rule.table).columns.map((c) => c.databaseName);
      for (const column of [rule.field, ...rule.columns]) expect(`${rule.table}.${column}: ${columns.includes(column)}`).toBe(`${rule.table}.${column}: true`);
    }
  });

  it('derives a stable lock key per tenant', () => {
    expect(tenantLockKey('0F1E2D3C-0000-4000-8000-000000000000')).toBe(tenantLockKey('0f1e2d3c-0000-4000-8000-000000000000'));
    expect(tenantLockKey('0f1e2d3c-0000-4000-8000-000000000000')).not.toBe(tenantLockKey('0f1e2d3c-0000-4000-8000-000000000001'));
    expect(Number.isInteger(tenantLockKey('x'))).toBe(true);
  });
});
