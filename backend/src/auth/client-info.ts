import type { Request } from 'express';

/**
 * The client's address and agent, for the audit log and the sign-in rate limit alike. req.ip is the
 * socket's address, or the one X-Forwarded-For names when the socket is a proxy listed in
 * TRUSTED_PROXIES (bootstrap.ts sets Express's `trust proxy` from it).
 */
export function clientOf(request: Request): { clientIp: string | null; userAgent: string | null } {
  return { clientIp: request.ip ?? null, userAgent: request.get('user-agent')?.slice(0, 500) ?? null };
}
