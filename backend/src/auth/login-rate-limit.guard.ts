import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { clientOf } from './client-info.js';

/**
 * A fixed one-minute window of sign-in attempts per client address. In memory, so each API
 * instance counts its own (written here because @nestjs/throttler is CommonJS, which Jest's ESM
 * mode cannot load beside the ESM-only NestJS 12).
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const now = Date.now();
    // The same address the audit log records: a client cannot pick it (TRUSTED_PROXIES).
    const key = clientOf(request).clientIp ?? 'unknown';
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.prune(now);
    }
    window.count++;
    if (window.count > this.config.loginRateLimitPerMinute) {
      const retryAfter = Math.ceil((window.start + 60_000 - now) / 1000);
      context.switchToHttp().getResponse<Response>().setHeader('retry-after', String(retryAfter));
      throw new AppException('TOO_MANY_REQUESTS', `Too many sign-in attempts: try again in ${retryAfter} s`);
    }
    return true;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(key);
  }
}
