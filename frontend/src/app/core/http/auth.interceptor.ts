import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthService } from '../auth/auth.service';

/** Their 401s are handled by the caller: a wrong password, or a stale token on session restore (the guard redirects). */
const SELF_HANDLED_401 = ['/api/auth/login', '/api/auth/me'];

/** Only our own API gets the token: never send it to another origin. */
function isApiRequest(url: string): boolean {
  return url.startsWith('/api/');
}

/**
 * Adds `Authorization: Bearer <token>` to API requests, and on a 401 (token expired or revoked)
 * forgets the session and sends the user to /login, keeping the page they were on.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const token = auth.token();
  const request = token && isApiRequest(req.url) && !req.headers.has('Authorization') ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;

  return next(request).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && isApiRequest(req.url) && !SELF_HANDLED_401.includes(req.url)) {
        auth.clearSession();
        const current = router.url;
        if (!current.startsWith('/login')) {
          router.navigate(['/login'], { queryParams: current && current !== '/' ? { returnUrl: current } : {} }).catch(() => undefined);
        }
      }
      return throwError(() => error);
    }),
  );
};
