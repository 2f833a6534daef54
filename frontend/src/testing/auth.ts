import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import type { UserView } from '@rythm/api-types';
import { AuthService } from '../app/core/auth/auth.service';

/** Signs a user in through the real AuthService (POST /api/auth/login answered by the test). */
export function signInAs(signedIn: UserView, token = 'test-token'): void {
  const auth = TestBed.inject(AuthService);
  const http = TestBed.inject(HttpTestingController);
  auth.login({ email: signedIn.email, password: 'secret' }).subscribe();
  http.expectOne('/api/auth/login').flush({ accessToken: token, expiresIn: 3600, user: signedIn });
}
