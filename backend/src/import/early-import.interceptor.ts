import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import type { UploadStartHook } from '../storage/storage-upload-engine.js';
import { UploadsInProgress } from '../storage/uploads-in-progress.js';
import { type EarlyImport, ImportService } from './import.service.js';

/** What the import route finds on its request: the job started while the file arrived, if any. */
export interface EarlyImportRequest extends UploadStartHook {
  earlyImport?: Promise<EarlyImport | null>;
}

/**
 * Bound before the FileInterceptor: when the file part begins (its fields, if the client sent them
 * first, are parsed by then) the import job is queued at once and reads the upload as it arrives,
 * so the upload and the read overlap instead of adding up (docs/import.md). Whatever ends the
 * request before the route confirms the upload (an error, a client that went away) fails that job
 * before it can validate or write anything.
 */
@Injectable()
export class EarlyImportInterceptor implements NestInterceptor {
  constructor(
    private readonly imports: ImportService,
    private readonly uploads: UploadsInProgress,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & EarlyImportRequest & { user: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    request.onUploadStart = (fileName) => {
      const fields = { ...(request.body as Record<string, unknown>) };
      request.earlyImport = this.imports.startEarly(request.user, fields, fileName).catch(() => null);
      response.once('close', () => this.uploads.fail(fileName, 'The upload request ended before the import was confirmed: nothing was imported'));
    };
    return next.handle();
  }
}
