import type { Role } from '../shared/api-types.js';

/** Who is acting: from the JWT, checked against the database on every request. */
export interface Actor {
  id: string;
  email: string;
  role: Role;
  tenantId: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  /** Set when the request came with an API token (then `id` is the token's id, `email` names it). */
  apiToken?: { id: string; name: string; expiresAt: string };
}

export interface JwtPayload {
  sub: string;
  email: string;
  role: Role;
  tenantId: string | null;
}
