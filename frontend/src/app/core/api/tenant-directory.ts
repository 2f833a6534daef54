import { Injectable, computed, inject, signal } from '@angular/core';
import type { TenantSummary } from '@rythm/api-types';
import { ApiClient } from './api-client';
import { describeError } from '../errors/error-message';

/** The tenants the user may work with (org admin: their own), shared by the pages. */
@Injectable({ providedIn: 'root' })
export class TenantDirectory {
  private readonly api = inject(ApiClient);
  private readonly state = signal<TenantSummary[]>([]);
  private readonly loadingState = signal(false);
  private readonly errorState = signal<string | null>(null);
  private requested = false;

  readonly tenants = this.state.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  private readonly byId = computed(() => new Map(this.state().map((t) => [t.id, t])));

  /** Counts change with every import, so pages reload on entry. */
  reload(): void {
    this.requested = true;
    this.loadingState.set(true);
    this.errorState.set(null);
    this.api.tenants().subscribe({
      next: (tenants) => {
        this.state.set(tenants);
        this.loadingState.set(false);
      },
      error: (error: unknown) => {
        this.errorState.set(describeError(error));
        this.loadingState.set(false);
      },
    });
  }

  /** Loads the list once (the toolbar needs the organisation's name on every page). */
  ensureLoaded(): void {
    if (!this.requested) this.reload();
  }

  /**
   * The tenant a picker starts on: the user's own (an org admin's only one), else the only tenant
   * there is; undefined when the user must choose.
   */
  defaultTenant(ownTenantId: string | null | undefined): TenantSummary | undefined {
    const tenants = this.state();
    return tenants.find((t) => t.id === ownTenantId) ?? (tenants.length === 1 ? tenants[0] : undefined);
  }

  find(id: string | null | undefined): TenantSummary | undefined {
    return id ? this.byId().get(id) : undefined;
  }

  /** A label for tables: the slug when known, else a shortened id. */
  label(id: string | null | undefined): string {
    if (!id) return '—';
    return this.byId().get(id)?.slug ?? id.slice(0, 8);
  }
}
