import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { domainTables } from '../transfer/domain-tables.js';
import type { TableSpec } from '../transfer/table-graph.js';
import { dataSourceOptions } from './data-source.js';

let offline: Promise<TableSpec[]> | null = null;

/**
 * The domain tables from the entity metadata, built without a connection (the graph depends on
 * the entities only), for tests, scripts and the benchmark. It needs TypeORM's protected
 * buildMetadatas, so it lives here rather than in the engine, which takes its tables from the
 * caller (`domainTables(dataSource)` in the app).
 */
export function offlineDomainTables(): Promise<TableSpec[]> {
  offline ??= (async () => {
    const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    return domainTables(dataSource);
  })();
  return offline;
}
