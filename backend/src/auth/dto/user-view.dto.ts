import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { literals } from '../../common/literals.js';
import type { Role, UserView } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

export const ROLES = literals<Role>({ athlete: true, coach: true, org_admin: true, system_admin: true });

@ApiSchema({ name: 'ApiTokenRef', description: 'The API token a request was made with' })
export class ApiTokenRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

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

  @ApiProperty({ type: ApiTokenRefDto, required: false, description: 'Set when the request was made with an API token (not a sign-in)' })
  apiToken?: ApiTokenRefDto;
}
sameKeys<UserViewDto, UserView>(true);
