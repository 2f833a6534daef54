import { type DataSource } from 'typeorm';
import { DOMAIN_ENTITIES } from '../domain/index.js';
import { buildTableGraph, type TableSpec } from './table-graph.js';

/** The RYTHM tables in export order, from the live entity metadata. */
export function domainTables(dataSource: DataSource): TableSpec[] {
  return buildTableGraph(DOMAIN_ENTITIES.map((entity) => dataSource.getMetadata(entity)));
}
