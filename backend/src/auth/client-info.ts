import type { Request } from 'express';

/** Client address and agent for the audit log (Express honours `trust proxy` for req.ip). */
export function clientOf(request: Request): { clientIp: string | null; userAgent: string | null } {
  return { clientIp: request.ip ?? null, userAgent: request.get('user-agent')?.slice(0, 500) ?? null };
}
