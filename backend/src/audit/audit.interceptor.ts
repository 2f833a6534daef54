import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import { clientOf } from '../auth/client-info.js';
import { statusOf } from '../common/app-exception.js';
import { canonicalUuid } from '../shared/patterns.js';
import { TransferError } from '../transfer/errors.js';
import { AUDIT_ACTION, auditedDetailsOf, auditedTenantOf } from './audited.decorator.js';
import { AuditService } from './audit.service.js';

/** Exceptions already written to the audit log, so the exception filter does not write them twice. */
export const auditedErrors = new WeakSet<object>();

/**
 * Writes the audit row of every @Audited route: success when it returns, denied on 401/403,
 * failure on any other error. Guard denials never reach here; the exception filter records them.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
    if (!action || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const actor = request.user ? { ...request.user, ...clientOf(request) } : clientOf(request);
    // Read when the row is written: a multipart body is parsed by the route's own interceptor, later.
    const details = () => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const params: Record<string, unknown> = { ...request.params, ...(typeof body === 'object' && !Array.isArray(body) ? body : {}) };
      const file = (request as { file?: { originalname?: string; size?: number } }).file;
      if (file) Object.assign(params, { fileName: file.originalname, fileSize: file.size });
      // Only a well-formed id may reach the uuid column: a bad one is the request's own 400, not a lost audit row.
      const named = [body.tenantId, body.targetTenantId].map((v) => (typeof v === 'string' ? canonicalUuid(v) : null)).find((v) => v !== null) ?? null;
      return { params, named, tenantId: named ?? request.user?.tenantId ?? null };
    };
    const write = (outcome: 'success' | 'failure' | 'denied', extra: Record<string, unknown> = {}, resultTenantId?: unknown) => {
      const { params, tenantId, named } = details();
      // A job or backup in the response knows its tenant better than the signed-in user does.
      const fromResult = typeof resultTenantId === 'string' ? canonicalUuid(resultTenantId) : null;
      const fromHandler = auditedTenantOf(request);
      const subject = named ?? fromResult ?? (fromHandler !== undefined ? fromHandler : tenantId);
      return this.audit.record({ action, outcome, actor, tenantId: subject, params: { ...params, ...auditedDetailsOf(request), ...extra } });
    };
    return next.handle().pipe(
      mergeMap((value) => {
        const result = value as { id?: unknown; tenantId?: unknown } | null;
        return from(write('success', typeof result?.id === 'string' ? { resultId: result.id } : {}, result?.tenantId).then(() => value));
      }),
      catchError((error: unknown) => {
        const status = error instanceof TransferError ? statusOf(error) : ((error as { status?: number })?.status ?? 500);
        const outcome = status === 401 || status === 403 ? 'denied' : 'failure';
        if (error && typeof error === 'object') auditedErrors.add(error);
        return from(write(outcome, { error: error instanceof Error ? error.message : String(error) })).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}
