import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt } from 'passport-jwt';
import { API_TOKEN_PREFIX } from '../api-tokens/api-token-secret.js';
import { AppException } from '../common/app-exception.js';
import type { Actor } from './actor.js';
import { ApiTokenAuthService } from './api-token-auth.service.js';
import { IS_PUBLIC } from './decorators.js';
import { fromEventStreamQuery } from './jwt.strategy.js';

const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Deny by default: every route needs a valid token unless marked @Public(). Two kinds are
 * accepted in the same places (the Authorization header; the event stream's query): a sign-in
 * JWT, checked by passport, and an API token (`rdt_…`), checked against api_tokens.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiTokens: ApiTokenAuthService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const presented = bearer(request) ?? fromEventStreamQuery(request);
    if (presented?.startsWith(API_TOKEN_PREFIX)) {
      request.user = await this.apiTokens.authenticate(presented, request);
      return true;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (error || !user) {
      const reason = info instanceof Error ? info.name : '';
      const message =
        reason === 'TokenExpiredError'
          ? 'Your session has expired: sign in again'
          : reason === 'JsonWebTokenError'
            ? 'The access token is not valid: sign in again'
            : 'Sign in first: this route needs an access token';
      throw new AppException('UNAUTHENTICATED', message);
    }
    return user;
  }
}
