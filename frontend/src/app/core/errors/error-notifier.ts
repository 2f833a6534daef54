import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeError, describeErrorAsync } from './error-message';

/** Shows errors and short confirmations in a snackbar (one at a time; a new one replaces the old). */
@Injectable({ providedIn: 'root' })
export class ErrorNotifier {
  private readonly snackBar = inject(MatSnackBar);

  notify(error: unknown): void {
    this.show(describeError(error), true);
  }

  /** For blob requests, whose error body must be read before it can be shown. */
  async notifyAsync(error: unknown): Promise<void> {
    this.show(await describeErrorAsync(error), true);
  }

  info(message: string): void {
    this.show(message, false);
  }

  private show(message: string, isError: boolean): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'rythm-snack-error' : 'rythm-snack-info',
      politeness: isError ? 'assertive' : 'polite',
    });
  }
}
