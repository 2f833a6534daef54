import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@rythm/api-types';

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).message === 'string';
}

function fromBody(body: unknown): string | null {
  if (isApiErrorBody(body)) {
    // Add the field messages unless the message already lists them.
    const missing = (body.fields ?? []).filter((f) => !body.message.includes(f.message));
    const fields = missing.map((f) => `${f.field}: ${f.message}`).join('; ');
    return fields ? `${body.message} (${fields})` : body.message;
  }
  if (typeof body === 'string' && body.trim() !== '') {
    try {
      return fromBody(JSON.parse(body));
    } catch {
      return body.length > 300 ? null : body;
    }
  }
  return null;
}

function fromStatus(error: HttpErrorResponse): string {
  if (error.status === 0) return 'Cannot reach the RYTHM Data server. Check your connection and try again.';
  if (error.status === 401) return 'Your session has ended. Please sign in again.';
  if (error.status === 403) return 'You are not allowed to do this.';
  if (error.status === 404) return 'Not found: it may have been deleted or expired.';
  return `The server answered ${error.status}${error.statusText ? ' ' + error.statusText : ''}.`;
}

/** A sentence for people: the API's `message` when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    return fromBody(error.error) ?? fromStatus(error);
  }
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string') return error;
  return 'Something went wrong.';
}

/** The API's `code` (stable, for logic), when the body is an ApiErrorBody. */
export function errorCode(error: unknown): string | null {
  if (error instanceof HttpErrorResponse && isApiErrorBody(error.error)) return error.error.code ?? null;
  return null;
}

function readBlobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the error body'));
    reader.readAsText(blob);
  });
}

/** Like describeError, but also reads error bodies of blob requests (downloads). */
export async function describeErrorAsync(error: unknown): Promise<string> {
  if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
    try {
      const text = await readBlobText(error.error);
      return fromBody(text) ?? fromStatus(error);
    } catch {
      return fromStatus(error);
    }
  }
  return describeError(error);
}
