import { ChangeDetectionStrategy, Component, type ElementRef, afterNextRender, inject, input, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { SLUG_PATTERN } from '@rythm/api-types';
import { describeError } from '../errors/error-message';
import { AuthService } from './auth.service';

/** Only paths inside the console: never bounce to another site after login. */
function safeReturnUrl(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : '/export';
}

@Component({
  selector: 'app-login-page',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressBarModule],
  templateUrl: './login.page.html',
  styleUrl: './login.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  /** From the query string (router input binding): where to go after signing in. */
  readonly returnUrl = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
    tenant: [''],
  });
  /** Asked for only when the API says the email has accounts in several organisations. */
  protected readonly askTenant = signal(false);
  private readonly tenantInput = viewChild<ElementRef<HTMLInputElement>>('tenant');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly emailInput = viewChild.required<ElementRef<HTMLInputElement>>('email');
  private readonly passwordInput = viewChild.required<ElementRef<HTMLInputElement>>('password');
  private readonly formDirective = viewChild.required(FormGroupDirective);

  constructor() {
    afterNextRender(() => this.emailInput().nativeElement.focus());
  }

  protected submit(): void {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { email, password, tenant } = this.form.getRawValue();
    this.auth.login(this.askTenant() ? { email, password, tenant: tenant.trim() } : { email, password }).subscribe({
      next: () => {
        this.busy.set(false);
        void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error));
        // Sign-in never guesses between accounts: the person names the organisation (its slug).
        if ((error as { error?: { code?: string } }).error?.code === 'TENANT_REQUIRED' && !this.askTenant()) {
          this.askTenant.set(true);
          this.form.controls.tenant.setValidators([Validators.required, Validators.pattern(SLUG_PATTERN)]);
          this.form.controls.tenant.updateValueAndValidity();
          setTimeout(() => this.tenantInput()?.nativeElement.focus());
          return;
        }
        // A fresh start for the password: cleared, not "submitted", so that "Enter your password."
        // does not stand under it beside the real message.
        this.formDirective().resetForm({ email: this.form.controls.email.value, password: '' });
        this.passwordInput().nativeElement.focus();
      },
    });
  }
}
