import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { inTransaction } from '../common/transaction.js';

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
  const canonical = JSON.stringify([f.actorId, f.actorEmail, f.role, f.tenantId, f.action, sortKeys(f.params), f.outcome, f.clientIp, f.userAgent, f.createdAt]);
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
          params: scrubParams(event.params),
          outcome: event.outcome,
          clientIp: event.actor?.clientIp ?? null,
          userAgent: event.actor?.userAgent ?? null,
          createdAt,
        };
        await runner.query(
          `INSERT INTO audit_log (actor_id, actor_email, role, tenant_id, action, params, outcome, client_ip, user_agent, created_at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [fields.actorId, fields.actorEmail, fields.role, fields.tenantId, fields.action, JSON.stringify(fields.params), fields.outcome, fields.clientIp, fields.userAgent, createdAt, prevHash, chainHash(prevHash, fields)],
        );
      });
    } catch (error) {
      this.logger.error({ msg: 'audit write failed', action: event.action, error: String(error) });
    }
  }
}
