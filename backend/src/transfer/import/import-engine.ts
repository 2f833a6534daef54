import type pg from 'pg';
import { canonicalUuid, isUuid, replaceUuids, uuidsIn } from '../../shared/patterns.js';
import { TransferError } from '../errors.js';
import { applyBundleSessionSettings } from '../bundle/index.js';
import { openReader } from '../formats/bundle-readers.js';
import type { BundleInput } from '../formats/bundle-source.js';
import { isCredentialColumn, type TableSpec } from '../table-graph.js';
import { type ApplyResult, applyPlan } from './apply.js';
import { captureAfter, captureBefore, type ChangedIds, writeChangeSetScript } from '../change-set/change-set.js';
import { bundleIdsOf, remapForClone } from './clone.js';
import { loadCodecs } from './live-columns.js';
import { type ImportContext, isGlobalRow } from './import-context.js';
import {
  BundleRejected,
  DEFAULT_LIMITS,
  type EngineReport,
  ErrorList,
  type ImportEngineRequest,
  type ImportHooks,
  type ImportLimits,
  type ImportOutcome,
  PlanMismatch,
} from './import-types.js';
import { classify, countPowerChanges, deleteName, planChanges, planCounts, planDigest, sampleDiffs } from './plan.js';
import { labelRows } from './row-labels.js';
import { type StageResult, stageBundle, stageName } from './staging.js';
import { acquireImportLock, type ImportLock, lockSql } from './tenant-lock.js';
import { type ImportTrust, trustOf } from './trust.js';
import { validate } from './validate.js';

/**
 * The import pipeline (DESIGN §5, docs/import.md): parse (stream) → stage (COPY into temporary
 * tables) → [one transaction under the import lock:] validate → plan → dry run stops here →
 * pre-import backup → apply → commit. The dry run is this same path, rolled back at the stop.
 * The engine knows nothing of HTTP or jobs: the API, the job worker and the CLI all call it.
 */
/**
 * PostgreSQL memory for the import's own backend: temporary tables live in temp_buffers (8 MB by
 * default, so a large staging table would go to disk), joins and sorts of the checks in work_mem.
 */
const SESSION_MEMORY = `SET temp_buffers = '256MB'; SET work_mem = '64MB'; SET maintenance_work_mem = '256MB'`;

export async function importBundle(pool: pg.Pool, input: BundleInput, request: ImportEngineRequest, hooks: ImportHooks): Promise<ImportOutcome> {
  const started = Date.now();
  const limits: ImportLimits = { ...DEFAULT_LIMITS, ...hooks.limits };
  const trust = trustOf(request.actor.role, request.source ?? 'upload');
  const { tables } = hooks;
  const errors = new ErrorList(limits.maxErrors);
  const phaseMs: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phaseMs[name] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };
  const report: EngineReport = {
    dryRun: request.dryRun,
    strategy: request.strategy,
    manifest: null,
    valid: false,
    errors: errors.errors,
    moreErrors: 0,
    plan: [],
    sampleDiffs: [],
    targetTenantId: request.scope === 'tenant' ? (request.targetTenantId ?? null) : null,
    backupId: null,
    applied: false,
  };
  let applyResult: ApplyResult | null = null;
  const finish = (failure: ImportOutcome['failure'], rowsRead: number): ImportOutcome => {
    report.moreErrors = errors.more;
    report.valid = errors.count === 0;
    const stats = {
      rowsRead,
      durationMs: Date.now() - started,
      phaseMs,
      referenceChecks: applyResult?.referenceChecks ?? null,
      perRowReason: applyResult?.perRowReason ?? null,
    };
    return { report, failure, stats };
  };
  const invalid = (code: 'INVALID_BUNDLE' | 'VALIDATION_FAILED', rowsRead: number) =>
    finish({ code, message: `The bundle has ${errors.count} error${errors.count === 1 ? '' : 's'} (see the report): nothing was imported` }, rowsRead);

  const client = await pool.connect();
  const cancel = () => void pool.query('SELECT pg_cancel_backend($1)', [(client as unknown as { processID: number }).processID]).catch(() => undefined);
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  try {
    await applyBundleSessionSettings(client);
    // The staging tables are session-local: give them room in memory (this connection is discarded).
    await client.query(SESSION_MEMORY);
    const codecs = await loadCodecs(client, tables);

    // 1. Parse and stage, outside the transaction: no lock is held while the file streams in.
    hooks.onProgress?.({ phase: 'reading', rowsDone: 0 });
    let staged: StageResult;
    try {
      const reader = await openReader(input, limits, tables.length);
      staged = await stageBundle({
        client,
        reader,
        scope: request.scope,
        tables,
        codecs,
        errors,
        signal: hooks.signal,
        onProgress: hooks.onProgress,
        refuseCredentials: trust.credentials === 'refuse',
      });
    } catch (error) {
      if (!(error instanceof BundleRejected)) throw error;
      for (const e of error.errors) errors.add(e);
      phase('read');
      return invalid('INVALID_BUNDLE', 0);
    }
    report.manifest = staged.manifest;
    // An org admin's restore: the backup's credentials are read but never written (trust.ts).
    if (trust.credentials === 'keep') for (const table of staged.tables) table.columns = table.columns.filter((c) => !isCredentialColumn(table.spec, c.name));
    phase('read');

    // 2. Validate, plan and (unless a dry run) apply in one transaction under the import lock.
    hooks.onProgress?.({ phase: 'validating', rowsDone: staged.rowsRead, rowsTotal: staged.rowsRead });
    hooks.signal?.throwIfAborted();
    await client.query('BEGIN');
    let committed = false;
    let discardChangeSet: (() => Promise<void>) | null = null;
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(limits.statementTimeoutMs)}; SET LOCAL rythm.preserve_timestamps = 'on'`);
      const context = await prepareContext(client, request, trust, staged, tables, errors);
      await acquireImportLock(client, lockFor(request, context), limits.lockTimeoutMs);
      phase('lock');
      let remapped = false;
      if (errors.count === 0) {
        if (context.clone) {
          remapped = true;
          const newTenantId = await remapForClone(context, context.bundleTenantId!, {
            name: request.newTenantName,
            slug: request.newTenantSlug,
            tagEmails: request.tagEmails === true,
          });
          context.bundleTenantId = newTenantId;
          context.targetTenantId = newTenantId;
        }
        report.targetTenantId = context.targetTenantId;
        hooks.onProgress?.({ phase: 'planning', rowsDone: staged.rowsRead, rowsTotal: staged.rowsRead });
        await classify(context);
        await validate(context);
        report.plan = await planCounts(context);
        report.sampleDiffs = await sampleDiffs(context, report.plan);
        if (errors.count === 0) report.powerChanges = await countPowerChanges(context);
        // Only a dry run (to record it) and an apply of one (to compare) pay for the digest.
        if (errors.count === 0 && (request.dryRun || request.expectedPlan)) report.planDigest = await planDigest(context, report.plan);
      }
      await describeRows(context, report, remapped);
      phase('validate');
      if (errors.count > 0) return invalid('VALIDATION_FAILED', staged.rowsRead);
      // The dry run stops here: everything above ran exactly as for the real import.
      if (request.dryRun) return finish(null, staged.rowsRead);
      if (request.expectedPlan) {
        report.planChanges = planChanges(request.expectedPlan, report.planDigest!, report.plan);
        if (report.planChanges.length > 0) {
          const tables = report.planChanges.map((c) => c.table).join(', ');
          return finish(
            {
              code: 'CONFLICT',
              message: `The data changed since your dry run (${tables}): nothing was imported. Review the new plan, then apply again (or apply with force)`,
            },
            staged.rowsRead,
          );
        }
      }

      hooks.onProgress?.({ phase: 'backup', rowsDone: 0 });
      const point = hooks.restorePoint ? await hooks.restorePoint(context.scope, context.targetTenantId, { clone: context.clone }) : 'full';
      // A change set is captured inside this transaction: the pre-images now, the digests after the writes.
      const captured = point === 'change-set' ? await captureBefore(client, tables, changedIds(context)) : null;
      if (point === 'full') report.backupId = await backupFirst(hooks, context, report);
      hooks.signal?.throwIfAborted();
      phase('backup');
      applyResult = await applyPlan(context, report.plan, hooks.onProgress, hooks.signal);
      await hooks.onApplied?.(client, { targetTenantId: context.targetTenantId, clone: context.clone });
      phase('apply');
      if (captured) {
        hooks.onProgress?.({ phase: 'backup', rowsDone: 0 });
        if (!hooks.saveChangeSet) throw new Error('importBundle: a change-set restore point needs hooks.saveChangeSet');
        await captureAfter(client, tables, captured);
        const meta = { scope: context.scope, tenantId: context.scope === 'tenant' ? context.targetTenantId : null };
        const saved = await hooks.saveChangeSet(client, meta, (output) =>
          writeChangeSetScript(
            client,
            tables,
            captured,
            { ...meta, jobId: hooks.jobId ?? 'unknown', lockSql: lockSql(lockFor(request, context)), createdAt: new Date().toISOString() },
            output,
            hooks.signal,
          ),
        );
        discardChangeSet = saved.discard;
        report.backupId = saved.backupId;
        phaseMs.backup += Date.now() - phaseStart;
        phaseStart = Date.now();
      }
      if (point !== 'none' && report.backupId) report.restorePoint = point;
      await client.query('COMMIT');
      committed = true;
      report.applied = true;
      hooks.onProgress?.({ phase: 'done', rowsDone: staged.rowsRead, rowsTotal: staged.rowsRead });
      return finish(null, staged.rowsRead);
    } finally {
      if (!committed) {
        await client.query('ROLLBACK').catch(() => undefined);
        await discardChangeSet?.().catch(() => undefined);
      }
    }
  } catch (error) {
    throw translate(error, hooks.signal, limits);
  } finally {
    hooks.signal?.removeEventListener('abort', cancel);
    // The connection carried temporary tables and session settings: it is not reused.
    client.release(true);
  }
}

/** Works out which tenant the bundle holds and which one is written; scope-level errors go to `errors`. */
async function prepareContext(
  client: pg.ClientBase,
  request: ImportEngineRequest,
  trust: ImportTrust,
  staged: StageResult,
  tables: TableSpec[],
  errors: ErrorList,
): Promise<ImportContext> {
  const context: ImportContext = {
    client,
    scope: request.scope,
    strategy: request.strategy,
    clone: request.asNewTenant === true,
    actorRole: request.actor.role,
    trust,
    manifest: staged.manifest,
    staged: staged.tables,
    allTables: tables,
    bundleTenantId: null,
    targetTenantId: null,
    errors,
  };
  if (request.scope !== 'tenant') return context;
  const root = staged.tables.find((t) => t.spec.ownership === 'root')!;
  const { rows } = await client.query<{ id: string }>(`SELECT "id"::text AS id FROM ${stageName(root.spec.name)} ORDER BY "id" LIMIT 3`);
  // An incremental bundle may leave the tenant row out (it did not change): the manifest names it.
  const named = staged.manifest.source.tenantId?.toLowerCase();
  if (rows.length > 1 || (rows.length === 0 && (!named || !isUuid(named)))) {
    errors.add({
      table: root.spec.name,
      rowId: null,
      field: null,
      message: `a tenant bundle holds one tenant: its row, or (incremental) its id in manifest.source.tenantId; this one holds ${rows.length} rows`,
    });
    return context;
  }
  if (rows.length === 0 && context.clone) {
    errors.add({
      table: root.spec.name,
      rowId: null,
      field: null,
      message: 'importing as a new tenant needs the tenant row in the bundle (an incremental bundle without it cannot be cloned)',
    });
    return context;
  }
  const bundleTenant = rows[0]?.id ?? named!;
  context.bundleTenantId = bundleTenant;
  const target = request.targetTenantId ?? (request.actor.role === 'org_admin' ? request.actor.tenantId : null) ?? bundleTenant;
  context.targetTenantId = context.clone ? null : target;
  if (!context.clone && target !== bundleTenant) {
    const slug = staged.manifest.source.tenantSlug ? ` (${staged.manifest.source.tenantSlug})` : '';
    errors.add({
      table: root.spec.name,
      rowId: bundleTenant,
      field: 'id',
      message: `this bundle holds the tenant ${bundleTenant}${slug}, not the target tenant ${target}: a tenant bundle imports only into its own tenant, or as a new tenant (asNewTenant, system admins)`,
    });
  }
  return context;
}

/**
 * Labels the rows the report names (errors and sample diffs), and gives a clone's errors the ids
 * as written in the bundle: the remapped ones are new on every run, so nobody could find them.
 */
async function describeRows(context: ImportContext, report: EngineReport, remapped: boolean): Promise<void> {
  const ids = new Map<string, Set<string>>();
  for (const row of [...report.errors, ...report.sampleDiffs]) {
    const id = row.table && row.rowId ? canonicalUuid(row.rowId) : null;
    if (row.table && id) (ids.get(row.table) ?? ids.set(row.table, new Set()).get(row.table)!).add(id);
  }
  if (ids.size === 0) return;
  const labels = await labelRows(context, ids);
  if (remapped) {
    const named = new Set([...ids.values()].flatMap((set) => [...set]));
    for (const error of report.errors) for (const id of uuidsIn(error.message)) named.add(id);
    const original = await bundleIdsOf(context, [...named]);
    const back = (id: string | null) => (id ? (original.get(id.toLowerCase()) ?? id) : id);
    for (const error of report.errors) {
      error.rowId = back(error.rowId);
      error.message = replaceUuids(error.message, (id) => original.get(id) ?? id);
    }
    for (const diff of report.sampleDiffs) diff.rowId = back(diff.rowId)!;
    for (const table of Object.values(labels)) {
      for (const [id, label] of Object.entries(table)) {
        const old = original.get(id);
        if (old && old !== id) {
          table[old] = label;
          delete table[id];
        }
      }
    }
  }
  report.rowLabels = labels;
}

/** Tenant imports lock their tenant; clones lock their source (so parallel clones of one bundle queue up). */
function lockFor(request: ImportEngineRequest, context: ImportContext): ImportLock {
  if (request.scope !== 'tenant') return { kind: 'global' };
  const tenantId = context.clone ? context.bundleTenantId : (context.targetTenantId ?? context.bundleTenantId);
  return tenantId ? { kind: 'tenant', tenantId } : { kind: 'global' };
}

/**
 * The rows the plan writes, per staged table: those it updates or deletes, and those it inserts.
 * A global row a tenant import adds counts as existing: another import may add it meanwhile.
 */
function changedIds(context: ImportContext): ChangedIds {
  return (spec) => {
    const table = context.staged.find((t) => t.spec.name === spec.name);
    if (!table) return null;
    const existing = `SELECT "id" FROM ${table.stage} WHERE "_action" = 'update' UNION ALL SELECT "id" FROM ${deleteName(spec.name)}`;
    const inserts = (where: string) => `SELECT "id" FROM ${table.stage} s WHERE s."_action" = 'insert' AND (${where})`;
    if (context.scope === 'tenant' && (spec.ownership === 'global' || spec.ownership === 'shared')) {
      const global = isGlobalRow(spec, 's');
      return { existing: `${existing} UNION ALL ${inserts(global)}`, created: inserts(`NOT (${global})`) };
    }
    return { existing, created: inserts('TRUE') };
  };
}

/** The affected scope is backed up first; a tenant that does not exist yet has nothing to lose. */
async function backupFirst(hooks: ImportHooks, context: ImportContext, report: EngineReport): Promise<string | null> {
  if (!hooks.preImportBackup) throw new Error('importBundle: a real import needs hooks.preImportBackup');
  if (context.scope === 'tenant') {
    const tenantPlan = report.plan.find((p) => context.staged.find((t) => t.spec.ownership === 'root')?.spec.name === p.table);
    if (context.clone || (tenantPlan && tenantPlan.insert > 0)) return null;
  }
  const { backupId } = await hooks.preImportBackup(context.scope, context.scope === 'tenant' ? context.targetTenantId : null);
  return backupId;
}

function translate(error: unknown, signal: AbortSignal | undefined, limits: ImportLimits): unknown {
  if (signal?.aborted) return signal.reason ?? error;
  if (error instanceof PlanMismatch) return new TransferError('CONFLICT', `${error.message}: the database changed during the import`);
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === '57014')
    return new TransferError(
      'UNAVAILABLE',
      `An import statement ran longer than IMPORT_STATEMENT_TIMEOUT_MS (${limits.statementTimeoutMs} ms): rolled back, nothing was changed`,
    );
  if (code === '55P03')
    return new TransferError(
      'CONFLICT',
      `A row the import must change stayed locked by another transaction for more than ${limits.lockTimeoutMs} ms: rolled back, nothing was changed`,
    );
  if (code === '40P01' || code === '40001')
    return new TransferError('CONFLICT', `The import conflicted with another transaction (${message}): rolled back, nothing was changed; try again`);
  if (typeof code === 'string' && code.startsWith('23')) {
    const detail = (error as { detail?: string }).detail;
    return new TransferError(
      'CONFLICT',
      `The import conflicted with the database (${message}${detail ? `: ${detail}` : ''}): rolled back, nothing was changed`,
    );
  }
  return error;
}
