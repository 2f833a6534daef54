import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import type { Request } from 'express';
import type { LoginResponse, UserView } from '../shared/api-types.js';
import type { Actor } from './actor.js';
import { AuthService } from './auth.service.js';
import { AnySignedIn, CurrentActor, Public } from './decorators.js';
import { LoginResponseDto } from './dto/login-response.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { UserViewDto } from './dto/user-view.dto.js';
import { clientOf } from './client-info.js';
import { LoginRateLimitGuard } from './login-rate-limit.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiOperation({ summary: 'Sign in', description: 'Trades an email and password for a bearer token. Audited (auth.login).', security: [] })
  @ApiOkResponse({ type: LoginResponseDto, description: 'Signed in' })
  @ApiErrors({
    400: true,
    401: 'The email or the password is wrong',
    429: {
      description: 'Too many sign-in attempts from this address in the current minute (LOGIN_RATE_LIMIT_PER_MINUTE)',
      headers: { 'retry-after': { description: 'Seconds until the next attempt is accepted', schema: { type: 'integer' } } },
    },
  })
  @Public()
  @UseGuards(LoginRateLimitGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Req() request: Request): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password, body.tenant, clientOf(request));
  }

  @ApiOperation({ summary: 'The signed-in user', description: 'Any role, athletes and coaches too.' })
  @ApiOkResponse({ type: UserViewDto, description: 'The user the token belongs to' })
  @ApiErrors({ 401: true })
  @ApiBearerAuth()
  @AnySignedIn()
  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.auth.me(actor);
  }
}
