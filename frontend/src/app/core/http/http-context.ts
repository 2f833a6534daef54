import { HttpContextToken } from '@angular/common/http';

/**
 * Set on requests whose failure the caller handles quietly (session restore, background polling):
 * the error interceptor then shows no snackbar.
 */
export const SILENT_ERRORS = new HttpContextToken<boolean>(() => false);
