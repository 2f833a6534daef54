import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { auditedErrors } from '../audit/audit.interceptor.js';
import { auditedDetailsOf } from '../audit/audited.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { clientOf } from '../auth/client-info.js';
import type { ApiErrorBody } from '../shared/api-types.js';
import { TransferError } from '../transfer/errors.js';
import { statusOf } from './app-exception.js';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * The one place that turns errors into responses: AppException and the engine's TransferError by their code, Nest's own
 * HttpExceptions by status, anything else into a 500 without internals (logged with the stack).
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit: AuditService) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request & { id?: string; user?: Actor }>();
    const body = this.toBody(exception, request);
    // Denials stopped by a guard never reach a route's own audit: record them here, once.
    if ((body.statusCode === 401 || body.statusCode === 403) && !(exception && typeof exception === 'object' && auditedErrors.has(exception))) {
      const actor = request.user ? { ...request.user, ...clientOf(request) } : clientOf(request);
      const params = { method: request.method, path: request.path, code: body.code, ...auditedDetailsOf(request) };
      await this.audit.record({ action: 'access.denied', outcome: 'denied', actor, params });
    }
    if (body.statusCode >= 500) {
      this.logger.error({ msg: 'unhandled error', path: request.url, requestId: request.id, error: String(exception), stack: (exception as Error)?.stack });
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request & { id?: string }): ApiErrorBody {
    const requestId = request.id;
    if (exception instanceof TransferError) {
      return { statusCode: statusOf(exception), code: exception.code, message: exception.message, ...exception.details, requestId };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      let message = exception.message;
      let fields: ApiErrorBody['fields'];
      if (typeof payload === 'object' && payload !== null) {
        const raw = (payload as { message?: unknown }).message;
        if (Array.isArray(raw)) {
          // class-validator messages start with the property name.
          fields = raw.map((m) => ({ field: String(m).split(' ')[0], message: String(m) }));
          message = `Invalid request: ${raw.join('; ')}`;
        } else if (typeof raw === 'string') {
          message = raw;
        }
      }
      // Multer signals an oversized upload with 413.
      return { statusCode: status, code: HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), message, fields, requestId };
    }
    const bodyParserError = exception as { type?: string; status?: number };
    if (bodyParserError?.type === 'entity.parse.failed') {
      return { statusCode: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON', requestId };
    }
    if (bodyParserError?.type === 'entity.too.large') {
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large', requestId };
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'Internal error; it has been logged', requestId };
  }
}
