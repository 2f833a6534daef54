import { BreakpointObserver, type BreakpointState } from '@angular/cdk/layout';
import { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { BehaviorSubject } from 'rxjs';
import { signInAs } from '../../../testing/auth';
import { ACME, GLOBEX, user } from '../../../testing/fixtures';
import { provideConsoleTesting } from '../../../testing/providers';
import { AuthService } from '../auth/auth.service';
import { ActingTenant } from './acting-tenant';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let narrow: BehaviorSubject<BreakpointState>;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);

  beforeEach(() => {
    narrow = new BehaviorSubject<BreakpointState>({ matches: false, breakpoints: {} });
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [...provideConsoleTesting(), { provide: BreakpointObserver, useValue: { observe: () => narrow } }],
    });
  });

  async function start(role: 'org_admin' | 'system_admin'): Promise<void> {
    signInAs(user(role));
    fixture = TestBed.createComponent(ShellComponent);
    fixture.detectChanges();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/tenants')
      .flush(role === 'org_admin' ? [ACME] : [ACME, GLOBEX]);
    await fixture.whenStable();
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the product, the user email and role, and the five pages', async () => {
    await start('org_admin');
    expect(el('app-title')?.textContent).toContain('RYTHM Data');
    expect(el('shell-user-email')?.textContent).toBe('admin@acme.test');
    expect(el('shell-user-role')?.textContent).toBe('Organisation admin');
    for (const page of ['export', 'import', 'backups', 'audit', 'jobs']) {
      expect(el(`nav-${page}`)?.getAttribute('href')).toBe(`/${page}`);
    }
    expect(el('nav-toggle')).toBeNull();
  });

  it("names an org admin's organisation on every page", async () => {
    await start('org_admin');
    expect(el('shell-org')?.textContent).toContain('Organisation');
    expect(el('shell-org-name')?.textContent).toBe('Acme Gym');
  });

  it('names the tenant a system admin acts on, else every organisation', async () => {
    await start('system_admin');
    expect(el('shell-org-name')?.textContent).toBe('All organisations');

    const tenantId = signal<string | null>(GLOBEX.id);
    TestBed.runInInjectionContext(() => TestBed.inject(ActingTenant).follow(tenantId));
    await fixture.whenStable();
    expect(el('shell-org')?.textContent).toContain('Acting on');
    expect(el('shell-org-name')?.textContent).toBe('Globex Fitness');

    tenantId.set(null);
    await fixture.whenStable();
    expect(el('shell-org-name')?.textContent).toBe('All organisations');
  });

  it('turns the side nav into an overlay with a menu button on narrow windows', async () => {
    await start('org_admin');
    narrow.next({ matches: true, breakpoints: {} });
    await fixture.whenStable();

    expect(el('nav-toggle')?.getAttribute('aria-label')).toBe('Open navigation');
    expect(el('nav')?.classList).toContain('mat-drawer-over');

    // Picking a page closes the overlay, even the page already shown (no navigation happens then).
    jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    el('nav-toggle')!.click();
    await fixture.whenStable();
    expect(el('nav-toggle')?.getAttribute('aria-expanded')).toBe('true');
    el('nav-export')!.click();
    await fixture.whenStable();
    expect(el('nav-toggle')?.getAttribute('aria-expanded')).toBe('false');
  });

  it('signs out and goes to /login', async () => {
    await start('org_admin');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);

    el('shell-signout')!.click();

    expect(TestBed.inject(AuthService).user()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login']);
  });
});
