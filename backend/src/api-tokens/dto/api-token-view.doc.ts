import { ApiProperty } from '@nestjs/swagger';
import type { AdminRole, ApiTokenCreated, ApiTokenStatus, ApiTokenView } from '../../shared/api-types.js';

/** The OpenAPI shape of ApiTokenView (shared/api-types.ts is types only, so the document needs a class). */
export class ApiTokenViewDoc implements ApiTokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['system_admin', 'org_admin'] }) role: AdminRole;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tenantId: string | null;
  @ApiProperty({ type: String, nullable: true }) tenantSlug: string | null;
  @ApiProperty({ example: 'rdt_Ab3x' }) hint: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: ApiTokenStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ type: String, nullable: true }) createdByEmail: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class ApiTokenCreatedDoc extends ApiTokenViewDoc implements ApiTokenCreated {
  @ApiProperty({ description: 'The secret, `rdt_` and 43 characters: shown this once, stored only as its sha256' }) token: string;
}
