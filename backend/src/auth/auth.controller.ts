import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { LoginResponse, UserView } from '../shared/api-types.js';
import type { Actor } from './actor.js';
import { AuthService } from './auth.service.js';
import { AnySignedIn, CurrentActor, Public } from './decorators.js';
import { LoginDto } from './dto/login.dto.js';
import { clientOf } from './client-info.js';
import { LoginRateLimitGuard } from './login-rate-limit.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(LoginRateLimitGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Req() request: Request): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password, clientOf(request));
  }

  @ApiBearerAuth()
  @AnySignedIn()
  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.auth.me(actor);
  }
}
