import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AdminRole } from '../shared/api-types.js';
import type { Actor } from './actor.js';

export const IS_PUBLIC = 'rythm:isPublic';
export const ROLES = 'rythm:roles';
export const ANY_SIGNED_IN = 'rythm:anySignedIn';

/** No token needed (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Any signed-in user, whatever the role (GET /auth/me). */
export const AnySignedIn = () => SetMetadata(ANY_SIGNED_IN, true);
/** Narrows a route to these roles; without it, a route needs an admin role. */
export const Roles = (...roles: AdminRole[]) => SetMetadata(ROLES, roles);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ user: Actor }>().user;
});
