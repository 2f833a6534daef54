import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source.js';
import { DOMAIN_ENTITIES } from '../domain/index.js';
import { buildTableGraph, TableGraphError } from './table-graph.js';
import { domainTables } from './domain-tables.js';
import { TABLE_POLICIES } from './table-policy.js';

// Metadata is built without connecting: the graph depends on the entities only.
const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
beforeAll(async () => {
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
});

describe('table graph', () => {
  it('derives DESIGN §2 export order from the foreign keys', () => {
    expect(domainTables(dataSource).map((t) => t.name)).toEqual([
      'tenants',
      'equipment',
      'exercises',
      'exercise_templates',
      'users',
      'programs',
      'workouts',
      'sessions',
      'sets',
      'program_assignments',
    ]);
  });

  it('keeps that order whatever order the entities are listed in', () => {
    const shuffled = [...DOMAIN_ENTITIES].reverse().map((e) => dataSource.getMetadata(e));
    const order = buildTableGraph(shuffled).map((t) => t.name);
    for (const table of buildTableGraph(shuffled)) {
      for (const fk of table.foreignKeys) expect(order.indexOf(fk.references)).toBeLessThanOrEqual(order.indexOf(table.name));
    }
  });

  it('classifies every column of every entity, and nothing else (add a column → classify it in table-policy.ts)', () => {
    const fromEntities = Object.fromEntries(
      DOMAIN_ENTITIES.map((e) => dataSource.getMetadata(e)).map((m) => [m.tableName, m.columns.map((c) => c.databaseName).sort()]),
    );
    const fromPolicy = Object.fromEntries(Object.entries(TABLE_POLICIES).map(([table, p]) => [table, Object.keys(p.columns).sort()]));
    expect(fromPolicy).toEqual(fromEntities);
  });

  it('names the tables of a foreign-key cycle', () => {
    const metadata = [dataSource.getMetadata(DOMAIN_ENTITIES[0]), dataSource.getMetadata(DOMAIN_ENTITIES[1])];
    const cyclic = metadata.map((m, i) => ({
      ...m,
      tableName: m.tableName,
      columns: m.columns,
      foreignKeys: [{ columnNames: ['id'], referencedTablePath: metadata[1 - i].tableName }],
    }));
    expect(() => buildTableGraph(cyclic as never)).toThrow(TableGraphError);
    expect(() => buildTableGraph(cyclic as never)).toThrow(/tenants, equipment/);
  });

  it('refuses a column without a policy, naming it', () => {
    const users = dataSource.getMetadata('users');
    const extra = { ...users, columns: [...users.columns, { ...users.columns[1], databaseName: 'shoe_size' }] };
    expect(() => buildTableGraph([extra as never])).toThrow(/users\.shoe_size/);
  });
});
