import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, type ElementRef, computed, inject, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map, skip } from 'rxjs';
import { TenantDirectory } from '../api/tenant-directory';
import { AuthService } from '../auth/auth.service';
import { roleLabel } from '../../shared/text';
import { ActingTenant } from './acting-tenant';

export const NARROW_QUERY = '(max-width: 899.98px)';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  testId: string;
}

const NAV: readonly NavItem[] = [
  { path: '/export', label: 'Export', icon: 'download', testId: 'nav-export' },
  { path: '/import', label: 'Import', icon: 'upload', testId: 'nav-import' },
  { path: '/backups', label: 'Backups', icon: 'cloud_upload', testId: 'nav-backups' },
  { path: '/audit', label: 'Audit', icon: 'shield', testId: 'nav-audit' },
  { path: '/jobs', label: 'Jobs', icon: 'sync', testId: 'nav-jobs' },
];

/** Toolbar and side navigation around every page; the side nav is an overlay on narrow windows. */
@Component({
  selector: 'app-shell',
  imports: [MatToolbarModule, MatSidenavModule, MatListModule, MatIconModule, MatButtonModule, MatTooltipModule, RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly sidenav = viewChild.required(MatSidenav);

  protected readonly nav = NAV;
  protected readonly user = this.auth.user;
  protected readonly roleLabel = computed(() => roleLabel(this.user()?.role));
  private readonly directory = inject(TenantDirectory);
  private readonly acting = inject(ActingTenant);
  /**
   * Whom the console acts for, on every page: an org admin's organisation; for a system admin,
   * the tenant the page works on, else every organisation.
   */
  protected readonly organisation = computed(() => {
    const u = this.user();
    if (!u) return null;
    if (u.role !== 'system_admin') {
      const own = this.directory.find(u.tenantId);
      return { label: 'Organisation', name: own?.name ?? u.tenantSlug ?? 'your organisation' };
    }
    const acting = this.directory.find(this.acting.tenantId());
    return acting ? { label: 'Acting on', name: acting.name } : { label: 'Acting on', name: 'All organisations' };
  });
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  constructor() {
    this.directory.ensureLoaded();
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        skip(1),
        takeUntilDestroyed(),
      )
      .subscribe(() => {
        // On a narrow window the overlay closes once the user has picked a page.
        if (this.narrow()) void this.sidenav().close();
        // Screen readers and keyboards continue at the new page, not at the nav link.
        this.main().nativeElement.focus({ preventScroll: true });
      });
  }

  /** Picking a page, even the current one (no navigation then), closes the overlay on a narrow window. */
  protected onNavClick(): void {
    if (this.narrow()) void this.sidenav().close();
  }

  protected toggleNav(): void {
    void this.sidenav().toggle();
  }

  protected signOut(): void {
    this.auth.logout();
    void this.router.navigate(['/login']);
  }
}
