import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { literals } from '../../common/literals.js';
import type { Role, UserView } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

export const ROLES = literals<Role>({ athlete: true, coach: true, org_admin: true, system_admin: true });

@ApiSchema({ name: 'UserView' })
export class UserViewDto implements UserView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'admin@northside.example' })
  email: string;

  @ApiProperty()
  firstName: string;

  @ApiProperty()
  lastName: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for system admins, who belong to no tenant' })
  tenantId: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'northside' })
  tenantSlug: string | null;
}
sameKeys<UserViewDto, UserView>(true);
