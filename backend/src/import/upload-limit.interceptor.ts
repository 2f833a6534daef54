import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * Multer reports an oversized upload as a bare "File too large"; this says which limit and how
 * to change it. Bound outside the FileInterceptor so it sees multer's error.
 */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new AppException(
                  'PAYLOAD_TOO_LARGE',
                  `The bundle is larger than the upload limit of ${this.config.maxUploadMb} MB (MAX_UPLOAD_MB); nothing was imported`,
                )
              : error,
          ),
        ),
      );
  }
}
