import { ApiProperty } from '@nestjs/swagger';
import type { Role, SetTenantPasswordResult, TenantDeleted, TenantSummary, TenantUserView } from '../../shared/api-types.js';

/** OpenAPI shapes of the tenant routes' answers (shared/api-types.ts is types only). */
export class TenantSummaryDoc implements Required<TenantSummary> {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() users: number;
  @ApiProperty() sessions: number;
  @ApiProperty() sets: number;
  @ApiProperty({ description: 'A scratch tenant (a QA clone): deleted without a backup, its imports take none' }) scratch: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the clean-up job deletes this scratch tenant' })
  expiresAt: string | null;
}

export class TenantDeletedDoc implements TenantDeleted {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() scratch: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The pre-delete backup; null for a scratch tenant' }) backupId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { sets: 400, sessions: 40, users: 6, tenants: 1 } })
  rowsDeleted: Record<string, number>;
  @ApiProperty() jobsDeleted: number;
  @ApiProperty() backupsDeleted: number;
  @ApiProperty() apiTokensDeleted: number;
  @ApiProperty() durationMs: number;
}

export class TenantUserViewDoc implements TenantUserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['athlete', 'coach', 'org_admin'] }) role: Role;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ description: 'Has a password, so may sign in' }) canSignIn: boolean;
}

export class SetTenantPasswordResultDoc implements SetTenantPasswordResult {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() usersUpdated: number;
}
