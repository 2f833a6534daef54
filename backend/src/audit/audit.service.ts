import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { visibleTenant } from '../auth/tenant-scope.js';
import { AppException } from '../common/app-exception.js';
import { inTransaction } from '../common/transaction.js';
import type { AuditEntry, AuditVerifyResult, Page } from '../shared/api-types.js';
import type { ListAuditQuery } from './dto/list-audit.query.js';

export interface AuditEvent {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actor?: Partial<Actor> | null;
  tenantId?: string | null;
  params?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
// One advisory lock key for the chain: appends from every instance queue up behind it.
const CHAIN_LOCK = 726_339_001;
const SECRET_KEYS = /pass|secret|token|hash|authorization/i;

/** Drops anything that looks like a secret, so parameters never carry one into the log. */
export function scrubParams(params: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (SECRET_KEYS.test(key)) continue;
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) ? scrubParams(value as Record<string, unknown>) : value;
  }
  return out;
}

interface ChainFields {
  actorId: string | null;
  actorEmail: string | null;
  role: string | null;
  tenantId: string | null;
  action: string;
  params: unknown;
  outcome: string;
  clientIp: string | null;
  userAgent: string | null;
  createdAt: string;
}

/** jsonb reorders object keys, so the hash sees params with sorted keys. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** sha256 over the previous hash and the row's fields in a fixed order. */
export function chainHash(prevHash: string, f: ChainFields): string {
  const canonical = JSON.stringify([
    f.actorId,
    f.actorEmail,
    f.role,
    f.tenantId,
    f.action,
    sortKeys(f.params),
    f.outcome,
    f.clientIp,
    f.userAgent,
    f.createdAt,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends one row to the chain. Never throws to the caller: an audit failure is logged loudly. */
  async record(event: AuditEvent): Promise<void> {
    try {
      await inTransaction(this.dataSource, async (runner) => {
        await runner.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
        const last: { hash: string }[] = await runner.query('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
        const prevHash = last[0]?.hash ?? GENESIS_HASH;
        // Millisecond precision so the stored value hashes the same when read back.
        const createdAt = new Date().toISOString();
        const fields: ChainFields = {
          actorId: event.actor?.id ?? null,
          actorEmail: event.actor?.email ?? null,
          role: event.actor?.role ?? null,
          tenantId: event.tenantId ?? event.actor?.tenantId ?? null,
          action: event.action,
          // A row written with an API token names it (docs/security.md); the key is not one scrubParams drops.
          params: scrubParams(
            event.actor?.apiToken
              ? { ...event.params, via: { kind: 'api-token', id: event.actor.apiToken.id, name: event.actor.apiToken.name } }
              : event.params,
          ),
          outcome: event.outcome,
          clientIp: event.actor?.clientIp ?? null,
          userAgent: event.actor?.userAgent ?? null,
          createdAt,
        };
        await runner.query(
          `INSERT INTO audit_log (actor_id, actor_email, role, tenant_id, action, params, outcome, client_ip, user_agent, created_at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            fields.actorId,
            fields.actorEmail,
            fields.role,
            fields.tenantId,
            fields.action,
            JSON.stringify(fields.params),
            fields.outcome,
            fields.clientIp,
            fields.userAgent,
            createdAt,
            prevHash,
            chainHash(prevHash, fields),
          ],
        );
      });
    } catch (error) {
      this.logger.error({ msg: 'audit write failed', action: event.action, error: String(error) });
    }
  }

  async list(actor: Actor, query: ListAuditQuery): Promise<Page<AuditEntry>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${args.push(value)}`));
    const tenant = visibleTenant(actor);
    if (tenant !== null) {
      if (query.tenantId && query.tenantId !== tenant) throw new AppException('TENANT_FORBIDDEN', 'Org admins see only their own tenant’s audit entries');
      add('tenant_id = ?', tenant);
    } else if (query.tenantId) add('tenant_id = ?', query.tenantId);
    if (query.action) add('action = ?', query.action);
    if (query.actor)
      add(
        `actor_email ILIKE '%' || ? || '%'`,
        query.actor.replace(/[%_\\]/g, (c) => `\\${c}`),
      );
    if (query.outcome) add('outcome = ?', query.outcome);
    if (query.from) add('created_at >= ?', query.from);
    if (query.to) add('created_at < ?', query.to);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_log ${filter}`, args);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id::text, actor_id, actor_email, role, tenant_id, action, params, outcome, client_ip, user_agent, created_at
       FROM audit_log ${filter} ORDER BY audit_log.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      args,
    );
    const items = rows.map((r) => ({
      id: r.id as string,
      actorId: r.actor_id as string | null,
      actorEmail: r.actor_email as string | null,
      role: r.role as string | null,
      tenantId: r.tenant_id as string | null,
      action: r.action as string,
      params: r.params as Record<string, unknown>,
      outcome: r.outcome as AuditEntry['outcome'],
      clientIp: r.client_ip as string | null,
      userAgent: r.user_agent as string | null,
      createdAt: (r.created_at as Date).toISOString(),
    }));
    return { items, total, page, pageSize };
  }

  /**
   * Recomputes the whole chain from the first row (it spans every tenant, so nothing less proves
   * it intact) and reports the first row whose link does not hold. An org admin learns only about
   * their own organisation's entries: how many were checked, and a broken entry's id only when it
   * is one of theirs.
   */
  async verify(actor: Actor): Promise<AuditVerifyResult> {
    const own = actor.role === 'system_admin' ? null : actor.tenantId;
    const visible = (r: Record<string, unknown>) => own === null || r.tenant_id === own;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let lastId = '0';
    for (;;) {
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT id::text, actor_id, actor_email, role, tenant_id, action, params, outcome, client_ip, user_agent, created_at, prev_hash, hash
         FROM audit_log WHERE audit_log.id > $1 ORDER BY audit_log.id LIMIT 5000`,
        [lastId],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const expected = chainHash(prevHash, {
          actorId: r.actor_id as string | null,
          actorEmail: r.actor_email as string | null,
          role: r.role as string | null,
          tenantId: r.tenant_id as string | null,
          action: r.action as string,
          params: r.params,
          outcome: r.outcome as string,
          clientIp: r.client_ip as string | null,
          userAgent: r.user_agent as string | null,
          createdAt: (r.created_at as Date).toISOString(),
        });
        if (r.prev_hash !== prevHash || r.hash !== expected) {
          if (!visible(r)) {
            return {
              valid: false,
              checked,
              firstBrokenId: null,
              message: `The audit chain is broken at an entry outside your organisation (after ${checked} of your entries checked): ask a system admin`,
            };
          }
          return {
            valid: false,
            checked,
            firstBrokenId: r.id as string,
            message: `Entry ${r.id as string} does not match the chain: it was altered, or an entry before it was removed`,
          };
        }
        prevHash = String(r.hash);
        if (visible(r)) checked++;
        lastId = r.id as string;
      }
    }
    const message = own === null ? `The chain of ${checked} entries is intact` : `The chain is intact, with your organisation's ${checked} entries`;
    return { valid: true, checked, firstBrokenId: null, message };
  }
}
