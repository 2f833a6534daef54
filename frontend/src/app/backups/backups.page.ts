import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule, type Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { BackupKind, BackupView, JobView } from '@rythm/api-types';
import { RouterLink } from '@angular/router';
import { debounceTime, of } from 'rxjs';
import { ApiClient, type BackupQuery } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { AuthService } from '../core/auth/auth.service';
import { DownloadService } from '../core/download/download.service';
import { describeError, describeErrorAsync } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { ActingTenant } from '../core/layout/acting-tenant';
import { BytesPipe } from '../shared/bytes.pipe';
import { DateTimePipe } from '../shared/date-time.pipe';
import { TimeComponent } from '../shared/time.component';
import { confirmAction } from '../shared/confirm-dialog.component';
import { endOfDayExclusiveIso, startOfDayIso } from '../shared/dates';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { ErrorTextPipe } from '../shared/error-text.pipe';
import { JobProgressComponent } from '../shared/job-progress.component';
import { JobRun } from '../shared/job-run';
import { BackupSizeChartComponent } from './backup-size-chart.component';
import { CreateBackupDialog } from './create-backup.dialog';
import { RestoreBackupDialog, type RestoreBackupDialogData } from './restore-backup.dialog';
import { describeCron, describeRetention } from './schedule-text';
import { openUndoDialog } from '../shared/undo/undo-import.dialog';

const KINDS: readonly { value: BackupKind; label: string }[] = [
  { value: 'manual', label: 'Manual' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'pre-import', label: 'Before an import' },
  { value: 'pre-restore', label: 'Before a restore' },
];

interface Filters {
  tenantId: string;
  kind: BackupKind | '';
  from: string;
  to: string;
}

@Component({
  selector: 'app-backups-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    BytesPipe,
    DateTimePipe,
    TimeComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSortModule,
    MatTableModule,
    MatTooltipModule,
    ErrorPanelComponent,
    ErrorTextPipe,
    JobProgressComponent,
    BackupSizeChartComponent,
  ],
  templateUrl: './backups.page.html',
  styleUrl: './backups.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackupsPage {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly downloads = inject(DownloadService);
  private readonly notifier = inject(ErrorNotifier);
  protected readonly directory = inject(TenantDirectory);
  protected readonly isSystemAdmin = inject(AuthService).isSystemAdmin;

  /** `/backups?backup=<id>` (the import result links here): that backup is shown on its own first. */
  readonly backupId = input<string | undefined>(undefined, { alias: 'backup' });
  protected readonly focused = rxResource({
    params: () => this.backupId(),
    stream: ({ params }) => this.api.getBackup(params),
  });

  protected readonly kinds = KINDS;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly filterForm = this.fb.group({
    tenantId: [''],
    kind: this.fb.control<BackupKind | ''>(''),
    from: [''],
    to: [''],
  });
  private readonly filters = signal<Filters>(this.filterForm.getRawValue());
  protected readonly sort = signal<Sort>({ active: 'createdAt', direction: 'desc' });
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(25);

  private readonly query = computed<BackupQuery>(() => {
    const f = this.filters();
    const sort = this.sort();
    return {
      tenantId: f.tenantId || undefined,
      kind: f.kind || undefined,
      from: f.from ? startOfDayIso(f.from) : undefined,
      to: f.to ? endOfDayExclusiveIso(f.to) : undefined,
      page: this.pageIndex() + 1,
      pageSize: this.pageSize(),
      sort: sort.direction ? sort.active : 'createdAt',
      order: sort.direction || 'desc',
    };
  });
  protected readonly backups = rxResource({ params: () => this.query(), stream: ({ params }) => this.api.listBackups(params) });
  protected readonly rows = computed(() => (this.backups.hasValue() ? this.backups.value().items : []));
  protected readonly total = computed(() => (this.backups.hasValue() ? this.backups.value().total : 0));
  protected readonly columns = computed(() =>
    ['createdAt', 'kind', 'scope', 'tenant', 'size', 'note', 'actions'].filter((c) => c !== 'tenant' || this.isSystemAdmin()),
  );

  /** The latest backups, for the size chart (its own query: the table may be filtered and paged). */
  protected readonly history = rxResource({
    params: () => this.filters().tenantId,
    stream: ({ params }) => this.api.listBackups({ tenantId: params || undefined, pageSize: 200, sort: 'createdAt', order: 'desc' }),
  });
  protected readonly historyRows = computed(() => (this.history.hasValue() ? this.history.value().items : []));

  protected readonly schedule = rxResource({ stream: () => this.api.backupSchedule() });
  protected readonly scheduleText = computed(() => {
    if (!this.schedule.hasValue()) return null;
    const s = this.schedule.value();
    return `Scheduled backups run ${describeCron(s.cron)}; ${describeRetention(s)}.`;
  });

  protected readonly createRun = new JobRun();
  protected readonly downloadingId = signal<string | null>(null);
  protected readonly deletingId = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    this.directory.reload();
    inject(ActingTenant).follow(() => this.filters().tenantId || (this.focused.hasValue() ? this.focused.value().tenantId : null));
    this.filterForm.valueChanges.pipe(debounceTime(250), takeUntilDestroyed()).subscribe(() => {
      this.pageIndex.set(0);
      this.filters.set(this.filterForm.getRawValue());
    });
  }

  protected onSort(sort: Sort): void {
    this.sort.set(sort);
    this.pageIndex.set(0);
  }

  protected onPage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
  }

  protected clearFilters(): void {
    this.filterForm.reset();
  }

  protected kindLabel(kind: BackupKind): string {
    return KINDS.find((k) => k.value === kind)?.label ?? kind;
  }

  /** A change set holds one import's pre-image, not the scope: it is undone through its import, never restored. */
  protected isChangeSet(backup: BackupView): boolean {
    return backup.content === 'change-set';
  }

  /** Whether the Restore action applies: a bundle, and a full one for system admins only. */
  protected canRestore(backup: BackupView): boolean {
    return !this.isChangeSet(backup) && (backup.scope !== 'full' || this.isSystemAdmin());
  }

  protected changeSetLabel(backup: BackupView): string {
    const of = backup.kind === 'pre-import' ? 'import' : 'job';
    return backup.jobId ? `Change set of ${of} ${backup.jobId.slice(0, 8)}` : 'Change set';
  }

  protected undo(backup: BackupView): void {
    if (!backup.jobId) return;
    openUndoDialog(this.dialog, { jobId: backup.jobId, redo: false }).subscribe((changed) => {
      if (!changed) return;
      // The undo kept a change set of its own.
      this.backups.reload();
      this.history.reload();
      this.directory.reload();
    });
  }

  protected create(): void {
    this.dialog
      .open<CreateBackupDialog, void, JobView>(CreateBackupDialog, { width: '480px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((job) => {
        if (!job) return;
        this.createRun.run(of(job), (done) => {
          if (done.status === 'succeeded') this.notifier.info('The backup is ready.');
          this.backups.reload();
          this.history.reload();
        });
      });
  }

  protected async download(backup: BackupView): Promise<void> {
    this.downloadingId.set(backup.id);
    this.actionError.set(null);
    try {
      await this.downloads.download(this.api.backupDownloadUrl(backup.id), backup.fileName);
    } catch (error: unknown) {
      this.actionError.set(`Download failed: ${await describeErrorAsync(error)}`);
    } finally {
      this.downloadingId.set(null);
    }
  }

  protected restore(backup: BackupView): void {
    this.dialog
      .open<RestoreBackupDialog, RestoreBackupDialogData, boolean>(RestoreBackupDialog, {
        data: { backup },
        width: '720px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((restored) => {
        if (restored) {
          this.notifier.info('Restore complete.');
          this.backups.reload();
          this.history.reload();
          this.directory.reload();
        }
      });
  }

  protected remove(backup: BackupView): void {
    confirmAction(this.dialog, {
      title: 'Delete this backup?',
      message: `The ${this.kindLabel(backup.kind).toLowerCase()} backup ${backup.fileName} will be deleted for good; it can no longer be restored.`,
      confirmLabel: 'Delete',
      destructive: true,
    }).subscribe((confirmed) => {
      if (!confirmed) return;
      this.deletingId.set(backup.id);
      this.actionError.set(null);
      this.api.deleteBackup(backup.id).subscribe({
        next: () => {
          this.deletingId.set(null);
          this.notifier.info('Backup deleted.');
          this.backups.reload();
          this.history.reload();
        },
        error: (error: unknown) => {
          this.deletingId.set(null);
          this.actionError.set(`Delete failed: ${describeError(error)}`);
        },
      });
    });
  }
}
