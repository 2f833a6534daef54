import { BreakpointObserver, type BreakpointState } from '@angular/cdk/layout';
import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { BehaviorSubject } from 'rxjs';
import { signInAs } from '../../../testing/auth';
import { user } from '../../../testing/fixtures';
import { provideConsoleTesting } from '../../../testing/providers';
import { AuthService } from '../auth/auth.service';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let narrow: BehaviorSubject<BreakpointState>;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);

  beforeEach(async () => {
    narrow = new BehaviorSubject<BreakpointState>({ matches: false, breakpoints: {} });
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [...provideConsoleTesting(), { provide: BreakpointObserver, useValue: { observe: () => narrow } }],
    });
    signInAs(user('org_admin'));
    fixture = TestBed.createComponent(ShellComponent);
    await fixture.whenStable();
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the product, the user email and role, and the five pages', () => {
    expect(el('app-title')?.textContent).toContain('RYTHM Data');
    expect(el('shell-user-email')?.textContent).toBe('admin@acme.test');
    expect(el('shell-user-role')?.textContent).toBe('Organisation admin');
    for (const page of ['export', 'import', 'backups', 'audit', 'jobs']) {
      expect(el(`nav-${page}`)?.getAttribute('href')).toBe(`/${page}`);
    }
    expect(el('nav-toggle')).toBeNull();
  });

  it('turns the side nav into an overlay with a menu button on narrow windows', async () => {
    narrow.next({ matches: true, breakpoints: {} });
    await fixture.whenStable();

    expect(el('nav-toggle')?.getAttribute('aria-label')).toBe('Open navigation');
    expect(el('nav')?.classList).toContain('mat-drawer-over');
  });

  it('signs out and goes to /login', () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);

    el('shell-signout')!.click();

    expect(TestBed.inject(AuthService).user()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login']);
  });
});
