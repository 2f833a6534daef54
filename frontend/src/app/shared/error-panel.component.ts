import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** An inline error where it happened (the snackbar is transient; this stays until resolved). */
@Component({
  selector: 'app-error-panel',
  imports: [MatIconModule, MatButtonModule],
  template: `
    <div class="panel" role="alert" [attr.data-testid]="testId()">
      <mat-icon svgIcon="error" aria-hidden="true" />
      <div class="text">
        @if (title()) {
          <strong>{{ title() }}</strong>
        }
        <span>{{ message() }}</span>
      </div>
      @if (retryLabel()) {
        <button mat-button type="button" (click)="retry.emit()" [attr.data-testid]="testId() + '-retry'">
          {{ retryLabel() }}
        </button>
      }
    </div>
  `,
  styles: `
    .panel {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 12px 16px;
      margin: 8px 0;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 1 1 auto;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    mat-icon {
      flex: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ErrorPanelComponent {
  readonly message = input.required<string>();
  readonly title = input<string>('');
  readonly testId = input<string>('error-panel');
  readonly retryLabel = input<string>('');
  readonly retry = output<void>();
}
