import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { JobProgress, UndoConflict, UndoTablePlan } from '../../shared/api-types.js';
import { applyBundleSessionSettings, quoteIdent as q } from '../bundle/index.js';
import { TransferError } from '../errors.js';
import { writeWithBackPressure } from '../formats/sink.js';
import { acquireImportLock, type ImportLock, lockSql } from '../import/tenant-lock.js';
import { GUARDED_ROLE, type ImportTrust } from '../import/trust.js';
import type { TableSpec } from '../table-graph.js';
import { captureAfter, captureBefore, conflictQueries, type SaveChangeSet, scriptKeys, scriptPre, writeChangeSetScript } from './change-set.js';
import { type ChangeSetHeader, ChangeSetScript } from './script-reader.js';

/**
 * Undo (docs/undo.md): runs one change set back, in one transaction under the lock of its scope.
 * It loads the script's pre-images and digests, finds the rows changed since (and the rows that
 * block it), plans, and (unless a dry run, or refused) records its own change set, so that an undo
 * can be undone, then runs the script's restore statements: exactly what psql would run.
 */
export interface UndoRequest {
  /** The undo's own job (its change set undoes it). */
  jobId: string;
  dryRun: boolean;
  force: boolean;
  trust: ImportTrust;
}

export interface UndoHooks {
  tables: TableSpec[];
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  maxConflicts?: number;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** Required unless a dry run: the undo's own restore point. */
  saveChangeSet?: SaveChangeSet;
  /** Runs inside the undo's transaction before COMMIT: what the caller writes commits with the undo. */
  onApplied?: (client: pg.ClientBase) => Promise<void>;
}

export interface UndoOutcome {
  header: ChangeSetHeader;
  plan: UndoTablePlan[];
  conflicts: UndoConflict[];
  moreConflicts: number;
  overwritten: number;
  applied: boolean;
  backupId: string | null;
  failure: { code: 'CONFLICT'; message: string } | null;
}

const SESSION_MEMORY = `SET temp_buffers = '256MB'; SET work_mem = '64MB'`;

export async function undoChangeSet(pool: pg.Pool, script: Readable, request: UndoRequest, hooks: UndoHooks): Promise<UndoOutcome> {
  const client = await pool.connect();
  const cancel = () => void pool.query('SELECT pg_cancel_backend($1)', [(client as unknown as { processID: number }).processID]).catch(() => undefined);
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  let discard: (() => Promise<void>) | null = null;
  let committed = false;
  try {
    await applyBundleSessionSettings(client);
    await client.query(SESSION_MEMORY);
    const reader = new ChangeSetScript(script);
    const header = await reader.open();
    const present = hooks.tables.filter((t) => header.tables[t.name] !== undefined).map((t) => t.name);
    await client.query('BEGIN');
    await client.query(`SET LOCAL statement_timeout = ${Math.floor(hooks.statementTimeoutMs)}`);
    await acquireImportLock(client, lockOf(header), hooks.lockTimeoutMs);

    hooks.onProgress?.({ phase: 'reading', rowsDone: 0 });
    let rowsLoaded = 0;
    for await (const item of reader.items('check')) {
      hooks.signal?.throwIfAborted();
      // The lock was taken above, with a timeout; the script's own is for psql.
      if (item.section === 'lock') continue;
      if (item.kind === 'sql') {
        await client.query(item.sql);
        continue;
      }
      const copy = client.query(copyFrom(item.sql.replace(/ FROM stdin;$/, ' FROM STDIN')));
      copy.on('error', () => undefined); // surfaced by finished() below
      for await (const row of item.rows) {
        await writeWithBackPressure(copy, `${row}\n`, hooks.signal);
        rowsLoaded++;
      }
      copy.end();
      await finished(copy);
      hooks.onProgress?.({ phase: 'reading', rowsDone: rowsLoaded });
    }

    hooks.onProgress?.({ phase: 'planning', rowsDone: rowsLoaded, rowsTotal: rowsLoaded });
    const found = await findConflicts(client, hooks.tables, present, request.trust, hooks.maxConflicts ?? 200);
    const plan = await undoPlan(client, hooks.tables, present);
    const outcome: UndoOutcome = { header, plan, ...found, overwritten: 0, applied: false, backupId: null, failure: null };
    if (request.dryRun) return outcome;
    const blocking = found.conflicts.filter((c) => c.reason === 'references' || c.reason === 'power');
    if (found.blocking > 0) {
      outcome.failure = {
        code: 'CONFLICT',
        message: `The undo would ${blocking[0]?.reason === 'power' ? 'change a role or password you may not change' : 'break rows that were added since and reference rows the import inserted'} (${found.blocking} row${found.blocking === 1 ? '' : 's'}, see the conflicts): nothing was changed`,
      };
      return outcome;
    }
    if (found.overwritable > 0 && !request.force) {
      outcome.failure = {
        code: 'CONFLICT',
        message: `${found.overwritable} row${found.overwritable === 1 ? '' : 's'} the import wrote changed since (see the conflicts): nothing was changed. Undo with force to overwrite them`,
      };
      return outcome;
    }

    if (!hooks.saveChangeSet) throw new Error('undoChangeSet: a real undo needs hooks.saveChangeSet');
    hooks.onProgress?.({ phase: 'backup', rowsDone: 0 });
    // The undo's own restore point: the rows as they are now, for exactly the ids it touches.
    const captured = await captureBefore(client, hooks.tables, (spec) =>
      present.includes(spec.name) ? { existing: `SELECT "id" FROM ${scriptKeys(spec.name)}` } : null,
    );
    hooks.onProgress?.({ phase: 'applying', rowsDone: 0, rowsTotal: rowsLoaded });
    let rowsWritten = 0;
    for await (const item of reader.items('eof')) {
      hooks.signal?.throwIfAborted();
      if (item.section !== 'restore' || item.kind !== 'sql') continue;
      const result = await client.query(item.sql);
      rowsWritten += result.rowCount ?? 0;
      hooks.onProgress?.({ phase: 'applying', rowsDone: rowsWritten });
    }
    await captureAfter(client, hooks.tables, captured);
    const saved = await hooks.saveChangeSet(client, { scope: header.scope, tenantId: header.tenantId }, (output) =>
      writeChangeSetScript(
        client,
        hooks.tables,
        captured,
        { jobId: request.jobId, scope: header.scope, tenantId: header.tenantId, lockSql: lockSql(lockOf(header)), createdAt: new Date().toISOString() },
        output,
        hooks.signal,
      ),
    );
    discard = saved.discard;
    await hooks.onApplied?.(client);
    await client.query('COMMIT');
    committed = true;
    outcome.applied = true;
    outcome.overwritten = found.overwritable;
    outcome.backupId = saved.backupId;
    hooks.onProgress?.({ phase: 'done', rowsDone: rowsLoaded, rowsTotal: rowsLoaded });
    return outcome;
  } catch (error) {
    throw translate(error, hooks.signal);
  } finally {
    if (!committed) {
      await client.query('ROLLBACK').catch(() => undefined);
      await discard?.().catch(() => undefined);
    }
    hooks.signal?.removeEventListener('abort', cancel);
    client.release(true);
  }
}

function lockOf(header: ChangeSetHeader): ImportLock {
  return header.scope === 'tenant' && header.tenantId ? { kind: 'tenant', tenantId: header.tenantId } : { kind: 'global' };
}

async function findConflicts(
  client: pg.ClientBase,
  tables: TableSpec[],
  present: string[],
  trust: ImportTrust,
  max: number,
): Promise<{ conflicts: UndoConflict[]; moreConflicts: number; overwritable: number; blocking: number }> {
  const queries = conflictQueries(tables, present);
  if (trust.limitedRoles || trust.credentials !== 'write') {
    const power = powerQuery(present, trust);
    if (power) queries.push(power);
  }
  if (queries.length === 0) return { conflicts: [], moreConflicts: 0, overwritable: 0, blocking: 0 };
  // One pass: the first rows (blocking ones first, which the user must deal with) and the totals beside them.
  const { rows } = await client.query<{
    table: string;
    row_id: string;
    reason: UndoConflict['reason'];
    detail: string | null;
    blocking: string;
    total: string;
  }>(
    `SELECT c.*, count(*) FILTER (WHERE c."reason" IN ('references', 'power')) OVER () AS "blocking", count(*) OVER () AS "total"
       FROM (${queries.join(' UNION ALL ')}) c
      ORDER BY (c."reason" IN ('references', 'power')) DESC, c."table", c."row_id" LIMIT ${Math.max(1, Math.floor(max))}`,
  );
  const blocking = Number(rows[0]?.blocking ?? 0);
  const overwritable = Number(rows[0]?.total ?? 0) - blocking;
  const listed = rows.slice(0, Math.max(0, Math.floor(max)));
  const conflicts = listed.map((r) => ({ table: r.table, rowId: r.row_id, reason: r.reason, message: describe(r.reason, r.detail) }));
  return { conflicts, moreConflicts: blocking + overwritable - conflicts.length, overwritable, blocking };
}

function describe(reason: UndoConflict['reason'], detail: string | null): string {
  switch (reason) {
    case 'changed':
      return 'changed since the import: the undo would overwrite it (with force)';
    case 'deleted':
      return 'deleted since the import: the undo would put it back (with force)';
    case 'created':
      return 'created again since the import deleted it: the undo would overwrite it (with force)';
    case 'references':
      return `added or changed since the import, and references a row the import inserted (${detail}): deleting that row would break it, so the undo cannot run`;
    case 'power':
      return detail ?? 'the undo would change this user’s role or password, which you may not';
  }
}

/**
 * For an org admin (trust.ts), the rows whose role or password the undo would change in a way an
 * import of theirs could not: a role to or from org_admin, an org admin deleted, a current
 * password hash replaced. The pre-images are the system's own, but rows changed since (force)
 * would otherwise let an undo take back what a system admin decided.
 */
function powerQuery(present: string[], trust: ImportTrust): string | null {
  if (!present.includes('users')) return null;
  const guarded = `'${GUARDED_ROLE}'`;
  const conditions: string[] = [];
  if (trust.limitedRoles) {
    conditions.push(`(d."id" IS NOT NULL AND p."id" IS NULL AND d."role" = ${guarded})`);
    conditions.push(`(d."id" IS NOT NULL AND p."id" IS NOT NULL AND d."role" IS DISTINCT FROM p."role" AND (d."role" = ${guarded} OR p."role" = ${guarded}))`);
  }
  if (trust.credentials !== 'write') conditions.push(`(d."id" IS NOT NULL AND p."id" IS NOT NULL AND d."password_hash" IS DISTINCT FROM p."password_hash")`);
  return `SELECT 'users'::text, k."id"::text, 'power', CASE WHEN d."password_hash" IS DISTINCT FROM p."password_hash" AND p."id" IS NOT NULL
            THEN 'the undo would put back an earlier password hash of this user; only a system admin may'
            ELSE 'the undo would change or remove this org admin''s role; only a system admin may' END
     FROM ${scriptKeys('users')} k LEFT JOIN ${q('users')} d ON d."id" = k."id" LEFT JOIN ${scriptPre('users')} p ON p."id" = k."id"
    WHERE ${conditions.join(' OR ')}`;
}

async function undoPlan(client: pg.ClientBase, tables: TableSpec[], present: string[]): Promise<UndoTablePlan[]> {
  const plan: UndoTablePlan[] = [];
  for (const spec of tables) {
    if (!present.includes(spec.name)) continue;
    const { rows } = await client.query<{ delete: string; restore: string; reinsert: string }>(
      `SELECT count(*) FILTER (WHERE p."id" IS NULL) AS "delete", count(*) FILTER (WHERE p."id" IS NOT NULL AND d."id" IS NOT NULL) AS "restore",
              count(*) FILTER (WHERE p."id" IS NOT NULL AND d."id" IS NULL) AS "reinsert"
         FROM ${scriptKeys(spec.name)} k LEFT JOIN ${scriptPre(spec.name)} p ON p."id" = k."id" LEFT JOIN ${q(spec.name)} d ON d."id" = k."id"`,
    );
    plan.push({ table: spec.name, delete: Number(rows[0].delete), restore: Number(rows[0].restore), reinsert: Number(rows[0].reinsert) });
  }
  return plan;
}

function translate(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason ?? error;
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === '57014')
    return new TransferError('UNAVAILABLE', 'An undo statement ran longer than IMPORT_STATEMENT_TIMEOUT_MS: rolled back, nothing was changed');
  if (code === '40P01' || code === '40001' || code === '55P03')
    return new TransferError('CONFLICT', `The undo conflicted with another transaction (${message}): rolled back, nothing was changed; try again`);
  if (typeof code === 'string' && code.startsWith('23')) {
    const detail = (error as { detail?: string }).detail;
    return new TransferError(
      'CONFLICT',
      `The undo conflicted with rows changed since the import (${message}${detail ? `: ${detail}` : ''}): rolled back, nothing was changed`,
    );
  }
  return error;
}
