import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { AuditEntry } from '@rythm/api-types';
import { debounceTime } from 'rxjs';
import { ApiClient, type AuditQuery } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { AuthService } from '../core/auth/auth.service';
import { ActingTenant } from '../core/layout/acting-tenant';
import { endOfDayExclusiveIso, startOfDayIso } from '../shared/dates';
import { clientAddress, roleLabel } from '../shared/text';
import { TimeComponent } from '../shared/time.component';
import { ACTION_OPTIONS, actionLabel, outcomeText, paramPairs } from './audit-text';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { ErrorTextPipe } from '../shared/error-text.pipe';

type Outcome = AuditEntry['outcome'];

interface Filters {
  action: string;
  actor: string;
  tenantId: string;
  outcome: Outcome | '';
  from: string;
  to: string;
}

@Component({
  selector: 'app-audit-page',
  imports: [
    ReactiveFormsModule,
    DecimalPipe,
    TimeComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    ErrorPanelComponent,
    ErrorTextPipe,
  ],
  templateUrl: './audit.page.html',
  styleUrl: './audit.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPage {
  private readonly api = inject(ApiClient);
  protected readonly directory = inject(TenantDirectory);
  protected readonly isSystemAdmin = inject(AuthService).isSystemAdmin;

  protected readonly outcomes: readonly Outcome[] = ['success', 'failure', 'denied'];
  protected readonly actions = ACTION_OPTIONS;
  protected readonly actionLabel = actionLabel;
  protected readonly outcomeText = outcomeText;
  protected readonly pairs = paramPairs;
  protected readonly role = roleLabel;
  protected readonly address = clientAddress;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly filterForm = this.fb.group({
    action: [''],
    actor: [''],
    tenantId: [''],
    outcome: this.fb.control<Outcome | ''>(''),
    from: [''],
    to: [''],
  });
  private readonly filters = signal<Filters>(this.filterForm.getRawValue());
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(50);

  private readonly query = computed<AuditQuery>(() => {
    const f = this.filters();
    return {
      action: f.action || undefined,
      actor: f.actor.trim() || undefined,
      tenantId: f.tenantId || undefined,
      outcome: f.outcome || undefined,
      from: f.from ? startOfDayIso(f.from) : undefined,
      to: f.to ? endOfDayExclusiveIso(f.to) : undefined,
      page: this.pageIndex() + 1,
      pageSize: this.pageSize(),
    };
  });
  protected readonly entries = rxResource({ params: () => this.query(), stream: ({ params }) => this.api.listAudit(params) });
  protected readonly rows = computed(() => (this.entries.hasValue() ? this.entries.value().items : []));
  protected readonly total = computed(() => (this.entries.hasValue() ? this.entries.value().total : 0));
  protected readonly columns = ['createdAt', 'actor', 'tenant', 'action', 'outcome', 'client', 'params'];

  protected readonly chain = rxResource({ stream: () => this.api.verifyAudit() });

  constructor() {
    this.directory.reload();
    inject(ActingTenant).follow(() => this.filters().tenantId);
    this.filterForm.valueChanges.pipe(debounceTime(300), takeUntilDestroyed()).subscribe(() => {
      this.pageIndex.set(0);
      this.filters.set(this.filterForm.getRawValue());
    });
  }

  protected onPage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
  }

  protected clearFilters(): void {
    this.filterForm.reset();
  }

  protected json(params: Record<string, unknown>): string {
    return JSON.stringify(params ?? {}, null, 2);
  }
}
