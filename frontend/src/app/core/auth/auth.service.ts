import { Injectable, computed, inject, signal } from '@angular/core';
import type { AdminRole, LoginRequest, UserView } from '@rythm/api-types';
import { type Observable, firstValueFrom, map, tap } from 'rxjs';
import { ApiClient } from '../api/api-client';

export const TOKEN_STORAGE_KEY = 'rythm.token';

const ADMIN_ROLES: readonly string[] = ['org_admin', 'system_admin'] satisfies AdminRole[];

/** The console is for admins only: athletes and coaches use the RYTHM app itself. */
export class NotAnAdminError extends Error {
  constructor() {
    super('This console is for organisation and system administrators.');
    this.name = 'NotAnAdminError';
  }
}

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The signed-in user and their token (kept in localStorage so that a reload keeps the session). */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(ApiClient);
  private readonly tokenState = signal<string | null>(readToken());
  private readonly userState = signal<UserView | null>(null);
  private restoring: Promise<boolean> | null = null;

  readonly token = this.tokenState.asReadonly();
  readonly user = this.userState.asReadonly();
  readonly isSignedIn = computed(() => this.userState() !== null);
  readonly isSystemAdmin = computed(() => this.userState()?.role === 'system_admin');
  readonly isOrgAdmin = computed(() => this.userState()?.role === 'org_admin');

  login(request: LoginRequest): Observable<UserView> {
    return this.api.login(request).pipe(
      map((response) => {
        if (!ADMIN_ROLES.includes(response.user.role)) throw new NotAnAdminError();
        return response;
      }),
      tap((response) => {
        this.storeToken(response.accessToken);
        this.userState.set(response.user);
      }),
      map((response) => response.user),
    );
  }

  /** GET /api/auth/me with the stored token; on success the session is back. */
  me(): Observable<UserView> {
    return this.api.me().pipe(
      map((user) => {
        if (!ADMIN_ROLES.includes(user.role)) throw new NotAnAdminError();
        return user;
      }),
      tap((user) => this.userState.set(user)),
    );
  }

  /**
   * Resolves true when a user is signed in, restoring the session from the stored token once.
   * Concurrent callers (guard, shell) share the same request.
   */
  restoreSession(): Promise<boolean> {
    if (this.userState()) return Promise.resolve(true);
    if (!this.tokenState()) return Promise.resolve(false);
    this.restoring ??= firstValueFrom(this.me())
      .then(() => true)
      .catch(() => {
        this.clearSession();
        return false;
      })
      .finally(() => {
        this.restoring = null;
      });
    return this.restoring;
  }

  /** Forgets the token and the user (sign out, or the server said 401). */
  clearSession(): void {
    try {
      localStorage.removeItem(TOKEN_STORAGE_KEY);
    } catch {
      // Storage can be unavailable (private mode); the in-memory state is what matters.
    }
    this.tokenState.set(null);
    this.userState.set(null);
  }

  logout(): void {
    this.clearSession();
  }

  private storeToken(token: string): void {
    try {
      localStorage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Without storage the session lasts until the page is reloaded.
    }
    this.tokenState.set(token);
  }
}
