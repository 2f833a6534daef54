import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';

/**
 * The tenant the current page acts on (an export's tenant, an import's target, a filter), so that
 * the toolbar can name it on every page. Pages register with `follow()`; leaving the page clears it.
 */
@Injectable({ providedIn: 'root' })
export class ActingTenant {
  private readonly state = signal<string | null>(null);
  readonly tenantId = this.state.asReadonly();

  /** Call in a page's injection context (constructor or field initializer). */
  follow(tenantId: () => string | null | undefined): void {
    effect(() => this.state.set(tenantId() || null));
    inject(DestroyRef).onDestroy(() => this.state.set(null));
  }
}
