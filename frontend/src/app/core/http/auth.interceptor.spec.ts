import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { AuthService, TOKEN_STORAGE_KEY } from '../auth/auth.service';
import { authInterceptor } from './auth.interceptor';

@Component({ template: '' })
class BlankPage {}

describe('authInterceptor', () => {
  let http: HttpClient;
  let controller: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt-abc');
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'backups', component: BlankPage },
          { path: 'login', component: BlankPage },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    controller = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => controller.verify());

  it('adds Authorization: Bearer <token> to API requests', () => {
    http.get('/api/tenants').subscribe();

    const req = controller.expectOne('/api/tenants');
    expect(req.request.headers.get('Authorization')).toBe('Bearer jwt-abc');
    req.flush([]);
  });

  it('never sends the token to another origin', () => {
    http.get('https://example.com/api/tenants').subscribe();

    const req = controller.expectOne('https://example.com/api/tenants');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush([]);
  });

  it('sends no header when signed out', () => {
    TestBed.inject(AuthService).clearSession();
    http.get('/api/tenants').subscribe();

    const req = controller.expectOne('/api/tenants');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush([]);
  });

  it('on 401 forgets the session and navigates to /login with the current page as returnUrl', async () => {
    await router.navigateByUrl('/backups');
    const navigate = jest.spyOn(router, 'navigate');
    let status = 0;

    http.get('/api/backups').subscribe({ error: (e: { status: number }) => (status = e.status) });
    controller
      .expectOne('/api/backups')
      .flush({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Token expired' }, { status: 401, statusText: 'Unauthorized' });

    expect(status).toBe(401);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/backups' } });
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(TestBed.inject(AuthService).token()).toBeNull();
  });

  it('does not redirect when the login itself answers 401 (wrong password)', async () => {
    await router.navigateByUrl('/login');
    const navigate = jest.spyOn(router, 'navigate');

    http.post('/api/auth/login', {}).subscribe({ error: () => undefined });
    controller.expectOne('/api/auth/login').flush({ message: 'Wrong email or password' }, { status: 401, statusText: 'Unauthorized' });

    expect(navigate).not.toHaveBeenCalled();
  });

  it('leaves other errors alone (403 keeps the session)', () => {
    const navigate = jest.spyOn(router, 'navigate');

    http.get('/api/audit').subscribe({ error: () => undefined });
    controller.expectOne('/api/audit').flush({ message: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });

    expect(navigate).not.toHaveBeenCalled();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-abc');
  });
});
