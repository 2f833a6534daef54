import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppException } from '../common/app-exception.js';
import { IS_PUBLIC } from './decorators.js';

/** Deny by default: every route needs a valid token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context);
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
