import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import type { CreateBackupRequest, JobView } from '@rythm/api-types';
import { map } from 'rxjs';
import { ApiClient } from '../core/api/api-client';
import { AuthService } from '../core/auth/auth.service';
import { TenantDirectory } from '../core/api/tenant-directory';
import { describeError } from '../core/errors/error-message';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { preselectTenant, setEnabled } from '../shared/forms';

/** Starts a manual backup; closes with the 202 JobView so the page can follow it. */
@Component({
  selector: 'app-create-backup-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    ErrorPanelComponent,
  ],
  template: `
    <h2 mat-dialog-title>Create a backup</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="content">
        @if (isSystemAdmin()) {
          <mat-radio-group formControlName="scope" aria-label="Backup scope" class="radios" data-testid="backup-create-scope">
            <mat-radio-button value="tenant" data-testid="backup-create-scope-tenant">One tenant</mat-radio-button>
            <mat-radio-button value="full" data-testid="backup-create-scope-full">Full system</mat-radio-button>
          </mat-radio-group>
        }
        @if (scope() === 'tenant') {
          <mat-form-field>
            <mat-label>Tenant</mat-label>
            <mat-select formControlName="tenantId" required data-testid="backup-create-tenant">
              @for (t of directory.tenants(); track t.id) {
                <mat-option [value]="t.id" [attr.data-testid]="'backup-create-tenant-option-' + t.slug">{{ t.name }} ({{ t.slug }})</mat-option>
              }
            </mat-select>
            @if (form.controls.tenantId.hasError('required')) {
              <mat-error>Choose the tenant to back up.</mat-error>
            }
          </mat-form-field>
        }
        <mat-form-field>
          <mat-label>Note</mat-label>
          <input matInput formControlName="note" maxlength="500" data-testid="backup-create-note" />
          <mat-hint>Why this backup: for example "before the spring clean-up".</mat-hint>
        </mat-form-field>
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" aria-label="Starting the backup" />
        }
        @if (error(); as message) {
          <!-- The API's own words, e.g. when an organisation has reached its cap of manual backups. -->
          <app-error-panel title="The backup was not started" [message]="message" testId="backup-create-error" />
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close data-testid="backup-create-cancel">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="backup-create-submit">Create backup</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .radios {
      display: flex;
      gap: 16px;
      margin-bottom: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateBackupDialog {
  private readonly api = inject(ApiClient);
  private readonly dialogRef = inject<MatDialogRef<CreateBackupDialog, JobView>>(MatDialogRef);
  private readonly auth = inject(AuthService);
  protected readonly directory = inject(TenantDirectory);
  protected readonly isSystemAdmin = this.auth.isSystemAdmin;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    scope: this.fb.control<CreateBackupRequest['scope']>('tenant'),
    tenantId: ['', Validators.required],
    note: [''],
  });
  protected readonly scope = toSignal(this.form.controls.scope.valueChanges.pipe(map((s) => s)), {
    initialValue: this.form.controls.scope.value,
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly tenantRequired = computed(() => this.scope() === 'tenant');

  constructor() {
    // Org admins back up their own tenant: preselect it (and a lone tenant in general).
    preselectTenant(this.form.controls.tenantId, this.directory, () => this.auth.user()?.tenantId);
    effect(() => setEnabled(this.form.controls.tenantId, this.tenantRequired()));
  }

  protected submit(): void {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const request: CreateBackupRequest = { scope: v.scope };
    if (v.scope === 'tenant') request.tenantId = v.tenantId;
    if (v.note.trim()) request.note = v.note.trim();
    this.busy.set(true);
    this.error.set(null);
    this.api.createBackup(request).subscribe({
      next: (job) => this.dialogRef.close(job),
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error));
      },
    });
  }
}
