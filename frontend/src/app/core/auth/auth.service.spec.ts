import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { user } from '../../../testing/fixtures';
import { authInterceptor } from '../http/auth.interceptor';
import { AuthService, NotAnAdminError, TOKEN_STORAGE_KEY } from './auth.service';

describe('AuthService', () => {
  let http: HttpTestingController;

  function setup(): AuthService {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(AuthService);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => http.verify());

  it('stores the token under rythm.token and keeps the user after login', async () => {
    const auth = setup();
    const admin = user('org_admin');

    const result = firstValueFrom(auth.login({ email: admin.email, password: 'pw' }));
    const req = http.expectOne('/api/auth/login');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: admin.email, password: 'pw' });
    req.flush({ accessToken: 'jwt-123', expiresIn: 3600, user: admin });

    await expect(result).resolves.toEqual(admin);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-123');
    expect(auth.token()).toBe('jwt-123');
    expect(auth.user()).toEqual(admin);
    expect(auth.isOrgAdmin()).toBe(true);
    expect(auth.isSystemAdmin()).toBe(false);
  });

  it('refuses users who are not admins and stores nothing', async () => {
    const auth = setup();

    const result = firstValueFrom(auth.login({ email: 'coach@acme.test', password: 'pw' }));
    http.expectOne('/api/auth/login').flush({ accessToken: 'jwt-coach', expiresIn: 3600, user: user('coach') });

    await expect(result).rejects.toBeInstanceOf(NotAnAdminError);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.user()).toBeNull();
  });

  it('does not store anything when the credentials are wrong', async () => {
    const auth = setup();

    const result = firstValueFrom(auth.login({ email: 'x@acme.test', password: 'bad' }));
    http
      .expectOne('/api/auth/login')
      .flush({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'Wrong email or password' }, { status: 401, statusText: 'Unauthorized' });

    await expect(result).rejects.toMatchObject({ status: 401 });
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('clears the token and the user on logout', () => {
    const auth = setup();
    auth.login({ email: 'a@acme.test', password: 'pw' }).subscribe();
    http.expectOne('/api/auth/login').flush({ accessToken: 'jwt-1', expiresIn: 3600, user: user('system_admin') });
    expect(auth.isSystemAdmin()).toBe(true);

    auth.logout();

    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.token()).toBeNull();
    expect(auth.user()).toBeNull();
  });

  it('restores the session from the stored token with GET /api/auth/me', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const auth = setup();
    const admin = user('system_admin');

    const restored = auth.restoreSession();
    const req = http.expectOne('/api/auth/me');
    expect(req.request.headers.get('Authorization')).toBe('Bearer stored-jwt');
    req.flush(admin);

    await expect(restored).resolves.toBe(true);
    expect(auth.user()).toEqual(admin);
  });

  it('shares one /me request between concurrent restores', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const auth = setup();

    const first = auth.restoreSession();
    const second = auth.restoreSession();
    http.expectOne('/api/auth/me').flush(user('org_admin'));

    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
  });

  it('forgets a stored token that the server no longer accepts', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'expired-jwt');
    const auth = setup();

    const restored = auth.restoreSession();
    http.expectOne('/api/auth/me').flush({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Expired' }, { status: 401, statusText: 'Unauthorized' });

    await expect(restored).resolves.toBe(false);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.user()).toBeNull();
  });

  it('does not call the server when there is no token', async () => {
    const auth = setup();

    await expect(auth.restoreSession()).resolves.toBe(false);
    http.expectNone('/api/auth/me');
  });
});
