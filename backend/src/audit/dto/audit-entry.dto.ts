import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { pageOf } from '../../common/dto/page.dto.js';
import { literals } from '../../common/literals.js';
import type { AuditEntry, AuditVerifyResult } from '../../shared/api-types.js';
import { AUDIT_ACTIONS } from '../../shared/audit-actions.js';
import { sameKeys } from '../../common/dto/same-keys.js';

export const AUDIT_OUTCOMES = literals<AuditEntry['outcome']>({ success: true, failure: true, denied: true });

@ApiSchema({ name: 'AuditEntry', description: 'One row of the append-only, hash-chained audit log' })
export class AuditEntryDto implements AuditEntry {
  @ApiProperty({ description: 'The row’s sequence number, as text', example: '1042' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true })
  actorEmail: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'org_admin' })
  role: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tenantId: string | null;

  @ApiProperty({ description: `What was done: ${AUDIT_ACTIONS.join(', ')}`, example: 'export.create' })
  action: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The request’s parameters and the result' })
  params: Record<string, unknown>;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome: AuditEntry['outcome'];

  @ApiProperty({ type: String, nullable: true })
  clientIp: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
sameKeys<AuditEntryDto, AuditEntry>(true);

@ApiSchema({ name: 'AuditPage', description: 'One page of the audit log, newest first' })
export class AuditPageDto extends pageOf(AuditEntryDto) {}

@ApiSchema({ name: 'AuditVerifyResult', description: 'The chain check: the first row whose link does not hold, if any' })
export class AuditVerifyResultDto implements AuditVerifyResult {
  @ApiProperty()
  valid: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows checked (an org admin: their tenant’s rows)' })
  checked: number;

  @ApiProperty({ type: String, nullable: true })
  firstBrokenId: string | null;

  @ApiProperty()
  message: string;
}
sameKeys<AuditVerifyResultDto, AuditVerifyResult>(true);
