import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AppException, badRequest, notFound } from '../common/app-exception.js';
import { Tenant } from '../domain/tenant.entity.js';
import type { ApiTokenCreated, ApiTokenView, CreateApiTokenRequest } from '../shared/api-types.js';
import { ApiToken } from './api-token.entity.js';
import { API_TOKEN_DEFAULT_DAYS } from '../shared/limits.js';
import { newApiTokenSecret } from './api-token-secret.js';

const DAY_MS = 86_400_000;

/**
 * Named API tokens for CI (docs/security.md): made and revoked by a signed-in system admin, with
 * the role system_admin or org_admin of one tenant and an expiry of at most a year. The secret is
 * returned once; the database keeps its sha256 only.
 */
@Injectable()
export class ApiTokensService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Tokens are managed by people: a token that could mint tokens would outlive its own revocation. */
  assertMayManage(actor: Actor): void {
    if (actor.apiToken) {
      throw new AppException('FORBIDDEN', 'API tokens cannot list, make or revoke API tokens: sign in as a system admin (`rythm-data login`)');
    }
  }

  async create(actor: Actor, request: CreateApiTokenRequest): Promise<ApiTokenCreated> {
    this.assertMayManage(actor);
    if (request.role === 'org_admin' && !request.tenantId) throw badRequest('tenantId', 'required for an org_admin token: the one tenant it acts on');
    if (request.role === 'system_admin' && request.tenantId) throw badRequest('tenantId', 'must be absent: a system_admin token acts on every tenant');
    if (request.tenantId && !(await this.dataSource.getRepository(Tenant).exists({ where: { id: request.tenantId } }))) {
      throw notFound('Tenant', request.tenantId);
    }
    const secret = newApiTokenSecret();
    const repository = this.dataSource.getRepository(ApiToken);
    const saved = await repository.save(
      repository.create({
        name: request.name,
        tokenHash: secret.hash,
        hint: secret.hint,
        role: request.role,
        tenantId: request.tenantId ?? null,
        createdBy: actor.id,
        expiresAt: new Date(Date.now() + (request.expiresInDays ?? API_TOKEN_DEFAULT_DAYS) * DAY_MS),
      }),
    );
    return { ...(await this.view(saved.id)), token: secret.token };
  }

  async list(actor: Actor): Promise<ApiTokenView[]> {
    this.assertMayManage(actor);
    return this.views();
  }

  /** Revocation takes effect at the token's next request: every request reads the row. */
  async revoke(actor: Actor, id: string): Promise<ApiTokenView> {
    this.assertMayManage(actor);
    const token = await this.dataSource.getRepository(ApiToken).findOne({ where: { id } });
    if (!token) throw notFound('API token', id);
    if (token.revokedAt) throw new AppException('CONFLICT', `The API token "${token.name}" was already revoked at ${token.revokedAt.toISOString()}`);
    await this.dataSource.query(`UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, actor.id]);
    return this.view(id);
  }

  async view(id: string): Promise<ApiTokenView> {
    const [found] = await this.views(id);
    if (!found) throw notFound('API token', id);
    return found;
  }

  private async views(id?: string): Promise<ApiTokenView[]> {
    const rows: TokenRow[] = await this.dataSource.query(
      `SELECT k.id, k.name, k.role, k.tenant_id, t.slug AS tenant_slug, k.hint, k.created_at, k.created_by, u.email AS created_by_email,
              k.last_used_at, k.expires_at, k.revoked_at, k.expires_at <= now() AS expired
         FROM api_tokens k
         LEFT JOIN tenants t ON t.id = k.tenant_id
         LEFT JOIN users u ON u.id = k.created_by
        WHERE $1::uuid IS NULL OR k.id = $1::uuid
        ORDER BY k.created_at DESC, k.id`,
      [id ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      tenantId: r.tenant_id,
      tenantSlug: r.tenant_slug,
      hint: r.hint,
      status: r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'active',
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by,
      createdByEmail: r.created_by_email,
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      expiresAt: r.expires_at.toISOString(),
      revokedAt: r.revoked_at?.toISOString() ?? null,
    }));
  }
}

interface TokenRow {
  id: string;
  name: string;
  role: ApiTokenView['role'];
  tenant_id: string | null;
  tenant_slug: string | null;
  hint: string;
  created_at: Date;
  created_by: string | null;
  created_by_email: string | null;
  last_used_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
  expired: boolean;
}
