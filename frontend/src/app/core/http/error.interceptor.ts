import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { ErrorNotifier } from '../errors/error-notifier';
import { SILENT_ERRORS } from './http-context';

/** Every failed API call shows the API's message in a snackbar, unless the request opted out. */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const notifier = inject(ErrorNotifier);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!req.context.get(SILENT_ERRORS)) {
        if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
          void notifier.notifyAsync(error);
        } else {
          notifier.notify(error);
        }
      }
      return throwError(() => error);
    }),
  );
};
