import { effect } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { AbstractControl, FormControl } from '@angular/forms';
import { startWith } from 'rxjs';
import type { TenantDirectory } from '../core/api/tenant-directory';

/** Controls that do not apply are disabled (not just hidden), so that they are not validated. */
export function setEnabled(control: AbstractControl, enabled: boolean): void {
  if (enabled && control.disabled) control.enable({ emitEvent: false });
  if (!enabled && control.enabled) control.disable({ emitEvent: false });
}

/**
 * Keeps a tenant picker on the user's own tenant (an org admin's only one, or a lone tenant)
 * whenever it is empty: on the first visit, and again after the form is reset. The effect reads
 * the control's value as a signal, so a reset wakes it up. Call it in an injection context.
 */
export function preselectTenant(control: FormControl<string>, directory: TenantDirectory, ownTenantId: () => string | null | undefined): void {
  const value = toSignal(control.valueChanges.pipe(startWith(control.value)), { initialValue: control.value });
  effect(() => {
    const preselect = directory.defaultTenant(ownTenantId());
    if (preselect && !value()) control.setValue(preselect.id);
  });
}
