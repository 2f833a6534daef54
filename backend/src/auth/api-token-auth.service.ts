import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiToken } from '../api-tokens/api-token.entity.js';
import { auditDetails } from '../audit/audited.decorator.js';
import { API_TOKEN_PATTERN, hashApiToken } from '../api-tokens/api-token-secret.js';
import { AppException } from '../common/app-exception.js';
import type { Actor } from './actor.js';

/** last_used_at is written at most this often per token, so a busy pipeline does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Turns a presented API token into the actor it stands for. Read from the database on every
 * request, like a user's role: a revoked or expired token is refused at the next request.
 */
@Injectable()
export class ApiTokenAuthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `request`: a refused known token is named in the request's access.denied audit row. */
  async authenticate(presented: string, request?: object): Promise<Actor> {
    if (!API_TOKEN_PATTERN.test(presented)) throw new AppException('UNAUTHENTICATED', 'The API token is not valid: it is not an rdt_… token as issued');
    const repository = this.dataSource.getRepository(ApiToken);
    const token = await repository.findOne({ where: { tokenHash: hashApiToken(presented) } });
    if (!token) throw new AppException('UNAUTHENTICATED', 'The API token is not valid: it is unknown (deleted with its tenant, or never issued)');
    if (request && (token.revokedAt || token.expiresAt.getTime() <= Date.now()))
      auditDetails(request, { via: { kind: 'api-token', id: token.id, name: token.name } });
    if (token.revokedAt) {
      throw new AppException(
        'UNAUTHENTICATED',
        `The API token "${token.name}" was revoked at ${token.revokedAt.toISOString()}: ask a system admin for a new one`,
      );
    }
    const now = Date.now();
    if (token.expiresAt.getTime() <= now) {
      throw new AppException('UNAUTHENTICATED', `The API token "${token.name}" expired at ${token.expiresAt.toISOString()}: ask a system admin for a new one`);
    }
    if (!token.lastUsedAt || now - token.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
      await this.dataSource.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [token.id]);
    }
    return {
      id: token.id,
      email: `api-token:${token.name}`,
      role: token.role,
      tenantId: token.tenantId,
      apiToken: { id: token.id, name: token.name, expiresAt: token.expiresAt.toISOString() },
    };
  }
}
