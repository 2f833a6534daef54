import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { type ActivatedRouteSnapshot, Router, type RouterStateSnapshot, UrlTree } from '@angular/router';
import { user } from '../../../testing/fixtures';
import { provideConsoleTesting } from '../../../testing/providers';
import { authGuard, guestGuard } from './auth.guard';
import { TOKEN_STORAGE_KEY } from './auth.service';

describe('auth guards', () => {
  const route = {} as ActivatedRouteSnapshot;
  const state = { url: '/audit?page=2' } as RouterStateSnapshot;
  let http: HttpTestingController;

  function run(guard: typeof authGuard): Promise<unknown> {
    return TestBed.runInInjectionContext(() => guard(route, state)) as Promise<unknown>;
  }

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends a visitor without a session to /login with the page to return to', async () => {
    const result = await run(authGuard);

    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/login?returnUrl=%2Faudit%3Fpage%3D2');
  });

  it('lets a restored session in', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const result = run(authGuard);
    http.expectOne('/api/auth/me').flush(user('org_admin'));

    await expect(result).resolves.toBe(true);
  });

  it('sends a signed-in user away from the login page', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const result = run(guestGuard);
    http.expectOne('/api/auth/me').flush(user('system_admin'));

    const tree = (await result) as UrlTree;
    expect(TestBed.inject(Router).serializeUrl(tree)).toBe('/export');
  });
});
