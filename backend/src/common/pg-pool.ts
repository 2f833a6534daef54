import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** TypeORM's own pg.Pool: the engine streams COPY on raw clients from the same pool. */
export function pgPool(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as unknown as { master: pg.Pool }).master;
}
