import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { type AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, type ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import {
  canCompress,
  credentialsConflict,
  dateRangeOrdered,
  type ExportFormat,
  type ExportResult,
  type ExportScope,
  type JobView,
  scopeNamesTenant,
} from '@rythm/api-types';
import { endOfDayExclusiveIso, startOfDayIso } from '../shared/dates';
import { map } from 'rxjs';
import { ApiClient } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { AuthService } from '../core/auth/auth.service';
import { DownloadService } from '../core/download/download.service';
import { describeErrorAsync } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { ActingTenant } from '../core/layout/acting-tenant';
import { BytesPipe, formatBytes } from '../shared/bytes.pipe';
import { preselectTenant, setEnabled } from '../shared/forms';
import { TimeComponent } from '../shared/time.component';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { ErrorTextPipe } from '../shared/error-text.pipe';
import { JobProgressComponent } from '../shared/job-progress.component';
import { JobStatusComponent } from '../shared/job-status.component';
import { JobRun } from '../shared/job-run';
import { type ExportFormValue, buildExportRequest } from './export-request';

interface FormatCard {
  id: ExportFormat;
  label: string;
  tag: string;
  description: string;
}

const FORMATS: readonly FormatCard[] = [
  {
    id: 'json',
    label: 'JSON',
    tag: 'for development',
    description: 'One readable file, rows in table order: diffs cleanly in version control.',
  },
  {
    id: 'sql',
    label: 'SQL',
    tag: 'for production restore',
    description: 'A psql script of COPY blocks: restores even when RYTHM Data is not running.',
  },
  {
    id: 'csv',
    label: 'CSV',
    tag: 'for analysis',
    description: 'A zip with one CSV file per table, for spreadsheets and BI tools.',
  },
];

/** The API's own rule (shared/export-options.ts) on the instants the request will carry. */
function dateOrder(group: AbstractControl): ValidationErrors | null {
  const { from, to } = group.value as Partial<ExportFormValue>;
  return from && to && !dateRangeOrdered(startOfDayIso(from), endOfDayExclusiveIso(to)) ? { dateOrder: true } : null;
}

@Component({
  selector: 'app-export-page',
  imports: [
    ReactiveFormsModule,
    DecimalPipe,
    TimeComponent,
    BytesPipe,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatTableModule,
    ErrorPanelComponent,
    ErrorTextPipe,
    JobProgressComponent,
    JobStatusComponent,
  ],
  templateUrl: './export.page.html',
  styleUrl: './export.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportPage {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthService);
  private readonly downloads = inject(DownloadService);
  private readonly notifier = inject(ErrorNotifier);
  protected readonly directory = inject(TenantDirectory);

  protected readonly formats = FORMATS;
  protected readonly isSystemAdmin = this.auth.isSystemAdmin;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group(
    {
      scope: this.fb.control<ExportScope>('tenant'),
      tenantId: ['', Validators.required],
      format: this.fb.control<ExportFormat>('json'),
      includeUsers: [true],
      includeSessions: [true],
      from: [''],
      to: [''],
      modifiedSince: [''],
      anonymize: [false],
      compress: [false],
      includeCredentials: [false],
    },
    { validators: dateOrder },
  );
  private readonly value = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), {
    initialValue: this.form.getRawValue(),
  });
  protected readonly scope = computed(() => (this.isSystemAdmin() ? this.value().scope : 'tenant'));
  protected readonly format = computed(() => this.value().format);
  /** A picker with one option is no choice: an org admin's organisation is written out instead. */
  protected readonly onlyTenant = computed(() => {
    const tenants = this.directory.tenants();
    return !this.isSystemAdmin() && tenants.length === 1 ? tenants[0] : null;
  });

  protected readonly run = new JobRun();
  protected readonly downloadingId = signal<string | null>(null);
  protected readonly downloadError = signal<string | null>(null);
  protected readonly result = computed(() => {
    const job = this.run.job();
    return job?.status === 'succeeded' ? (job.result as ExportResult | null) : null;
  });

  protected readonly recent = rxResource({ stream: () => this.api.listJobs({ type: 'export', pageSize: 10 }) });
  protected readonly recentRows = computed(() => (this.recent.hasValue() ? this.recent.value().items : []));
  protected readonly recentColumns = ['createdAt', 'scope', 'tenant', 'format', 'status', 'size', 'actions'];

  constructor() {
    this.directory.reload();
    // Org admins have exactly one tenant: theirs. Preselect it (and a lone tenant in general).
    preselectTenant(this.form.controls.tenantId, this.directory, () => this.auth.user()?.tenantId);
    inject(ActingTenant).follow(() => (this.scope() === 'tenant' ? this.value().tenantId : null));
    // Controls that do not apply are disabled (not just hidden), so that they are not validated.
    effect(() => {
      const { scope, format, includeUsers, anonymize } = this.value();
      const controls = this.form.controls;
      setEnabled(controls.tenantId, scopeNamesTenant(scope) || !this.isSystemAdmin());
      setEnabled(controls.compress, canCompress(format));
      setEnabled(controls.includeCredentials, includeUsers && !credentialsConflict({ anonymize, includeCredentials: true }));
    });
  }

  protected selectFormat(format: ExportFormat): void {
    this.form.controls.format.setValue(format);
  }

  protected start(): void {
    if (this.form.invalid || this.run.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    const request = buildExportRequest(this.form.getRawValue(), this.isSystemAdmin());
    this.downloadError.set(null);
    this.run.run(this.api.startExport(request), () => this.recent.reload());
  }

  protected async download(jobId: string, fileName?: string): Promise<void> {
    this.downloadingId.set(jobId);
    this.downloadError.set(null);
    try {
      const saved = await this.downloads.download(this.api.exportDownloadUrl(jobId), fileName ?? `rythm-export-${jobId}`);
      this.notifier.info(`Saved ${saved}`);
    } catch (error: unknown) {
      this.downloadError.set(await describeErrorAsync(error));
    } finally {
      this.downloadingId.set(null);
    }
  }

  protected fileNameOf(job: JobView): string | undefined {
    return (job.result as ExportResult | null)?.fileName;
  }

  protected sizeOf(job: JobView): string {
    return formatBytes((job.result as ExportResult | null)?.sizeBytes);
  }

  protected param(job: JobView, key: string): string {
    const value = job.params[key];
    return typeof value === 'string' ? value : '—';
  }
}
