import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { user } from '../../../testing/fixtures';
import { provideConsoleTesting } from '../../../testing/providers';
import { LoginPage } from './login.page';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let http: HttpTestingController;
  let navigate: jest.SpyInstance;

  const el = <T extends HTMLElement = HTMLElement>(testId: string): T => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`) as T;

  function type(testId: string, value: string): void {
    const input = el<HTMLInputElement>(testId);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ imports: [LoginPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('signs in and goes back to the page the user came from', async () => {
    fixture.componentRef.setInput('returnUrl', '/backups');
    type('login-email', 'admin@acme.test');
    type('login-password', 'secret');

    el('login-submit').click();
    const req = http.expectOne('/api/auth/login');
    expect(req.request.body).toEqual({ email: 'admin@acme.test', password: 'secret' });
    req.flush({ accessToken: 'jwt', expiresIn: 3600, user: user('org_admin') });
    await fixture.whenStable();

    expect(navigate).toHaveBeenCalledWith('/backups');
  });

  it('never follows a returnUrl to another site', async () => {
    fixture.componentRef.setInput('returnUrl', '//evil.example/phish');
    type('login-email', 'admin@acme.test');
    type('login-password', 'secret');

    el('login-submit').click();
    http.expectOne('/api/auth/login').flush({ accessToken: 'jwt', expiresIn: 3600, user: user('org_admin') });
    await fixture.whenStable();

    expect(navigate).toHaveBeenCalledWith('/export');
  });

  it("shows the API's message inline when the credentials are wrong", async () => {
    type('login-email', 'admin@acme.test');
    type('login-password', 'nope');

    el('login-submit').click();
    http
      .expectOne('/api/auth/login')
      .flush({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'Wrong email or password' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();

    expect(el('login-error').textContent).toContain('Wrong email or password');
    expect(navigate).not.toHaveBeenCalled();
    // One message: the cleared password field does not also say "Enter your password."
    expect(fixture.nativeElement.textContent).not.toContain('Enter your password.');
    expect(el<HTMLInputElement>('login-password').value).toBe('');
    expect(el<HTMLInputElement>('login-email').value).toBe('admin@acme.test');
  });

  it('asks for the organisation when the email has accounts in several, and sends it as the tenant', async () => {
    type('login-email', 'coach1@acme.test');
    type('login-password', 'secret');
    expect(el('login-tenant')).toBeNull();

    el('login-submit').click();
    http
      .expectOne('/api/auth/login')
      .flush(
        { statusCode: 400, code: 'TENANT_REQUIRED', message: 'This email has accounts in several organisations: give the organisation' },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();

    expect(el('login-error').textContent).toContain('several organisations');
    expect(el<HTMLInputElement>('login-password').value).toBe('secret');
    type('login-tenant', 'acme');
    el('login-submit').click();
    const retry = http.expectOne('/api/auth/login');
    expect(retry.request.body).toEqual({ email: 'coach1@acme.test', password: 'secret', tenant: 'acme' });
    retry.flush({ accessToken: 'jwt', expiresIn: 3600, user: user('org_admin') });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/export');
  });

  it('does not call the API with an empty form', async () => {
    el('login-submit').click();
    await fixture.whenStable();

    http.expectNone('/api/auth/login');
    expect(fixture.nativeElement.textContent).toContain('Enter your email address.');
  });
});
