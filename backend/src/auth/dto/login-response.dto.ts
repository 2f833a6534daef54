import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { LoginResponse } from '../../shared/api-types.js';
import { UserViewDto } from './user-view.dto.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'LoginResponse' })
export class LoginResponseDto implements LoginResponse {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires (JWT_EXPIRES_IN_SECONDS)', example: 28800 })
  expiresIn: number;

  @ApiProperty({ type: UserViewDto })
  user: UserViewDto;
}
sameKeys<LoginResponseDto, LoginResponse>(true);
