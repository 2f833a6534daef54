import { createHash } from 'node:crypto';
import type pg from 'pg';
import { TransferError } from '../errors.js';

/**
 * The advisory locks that keep imports and restores from interleaving (DESIGN §5). A tenant import
 * holds its tenant's key exclusively and the global key shared; a global or full import holds
 * the global key exclusively, so it waits for every tenant import and they wait for it. Both are
 * transaction locks: they end with the transaction, also when the process dies.
 */
const TENANT_NAMESPACE = 726_339_300;
const GLOBAL_NAMESPACE = 726_339_301;

export type ImportLock = { kind: 'tenant'; tenantId: string } | { kind: 'global' };

/** A stable 32-bit key for a tenant id (collisions only serialise two tenants' imports). */
export function tenantLockKey(tenantId: string): number {
  return createHash('sha256').update(tenantId.toLowerCase()).digest().readInt32BE(0);
}

export function lockSql(lock: ImportLock): string {
  return lock.kind === 'tenant'
    ? `SELECT pg_advisory_xact_lock_shared(${GLOBAL_NAMESPACE}, 0), pg_advisory_xact_lock(${TENANT_NAMESPACE}, ${tenantLockKey(lock.tenantId)})`
    : `SELECT pg_advisory_xact_lock(${GLOBAL_NAMESPACE}, 0)`;
}

/**
 * Takes the lock inside the current transaction, waiting at most `timeoutMs` (lock_timeout applies
 * to advisory locks too), then leaves lock_timeout at that value for the rest of the transaction.
 */
export async function acquireImportLock(client: pg.ClientBase, lock: ImportLock, timeoutMs: number): Promise<void> {
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  try {
    await client.query(lockSql(lock));
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      const what = lock.kind === 'tenant' ? 'this tenant' : 'global data (a global or full import, or a restore, locks every tenant)';
      throw new TransferError(
        'TENANT_BUSY',
        `Another import or restore is running for ${what}; waited ${Math.round(timeoutMs / 1000)} s. Try again when it has finished: nothing was changed`,
      );
    }
    throw error;
  }
}
