import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppException } from '../common/app-exception.js';
import type { AdminRole } from '../shared/api-types.js';
import type { Actor } from './actor.js';
import { ANY_SIGNED_IN, IS_PUBLIC, ROLES } from './decorators.js';

const ADMIN_ROLES: AdminRole[] = ['org_admin', 'system_admin'];

/**
 * Runs after the JWT guard. Routes are admin-only unless they say otherwise: athletes and
 * coaches get 403 on every route but the few marked @AnySignedIn().
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<{ user?: Actor }>();
    const actor = request.user;
    if (!actor) throw new AppException('UNAUTHENTICATED', 'Sign in first: this route needs an access token');
    if (this.reflector.getAllAndOverride<boolean>(ANY_SIGNED_IN, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<AdminRole[] | undefined>(ROLES, targets) ?? ADMIN_ROLES;
    if (!allowed.includes(actor.role as AdminRole)) {
      throw new AppException('FORBIDDEN', `This action needs the role ${allowed.join(' or ')}; you are ${actor.role}`);
    }
    return true;
  }
}
