import { type HttpResponse } from '@angular/common/http';
import { DOCUMENT, Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { ApiClient } from '../api/api-client';

/** File name from a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return sanitize(decodeURIComponent(extended[2].trim().replace(/^"|"$/g, '')));
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  if (plain) return sanitize((plain[2] ?? plain[1]).trim());
  return null;
}

/** Keep only a base name: a server-provided name must not carry a path. */
function sanitize(name: string): string | null {
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base === '' ? null : base;
}

/**
 * Downloads with the auth header (a plain link could not send it): fetches the file as a blob
 * through HttpClient, then saves it through a temporary object URL.
 */
@Injectable({ providedIn: 'root' })
export class DownloadService {
  private readonly api = inject(ApiClient);
  private readonly document = inject(DOCUMENT);

  /** Resolves with the saved file name; rejects with the HttpErrorResponse on failure. */
  async download(url: string, fallbackName: string): Promise<string> {
    const response: HttpResponse<Blob> = await firstValueFrom(this.api.downloadBlob(url));
    const name = fileNameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName;
    this.save(response.body ?? new Blob([]), name);
    return name;
  }

  save(blob: Blob, fileName: string): void {
    const objectUrl = URL.createObjectURL(blob);
    const anchor = this.document.createElement('a');
    anchor.href = objectUrl;
    anchor.download = fileName;
    anchor.rel = 'noopener';
    anchor.style.display = 'none';
    this.document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    // Revoke later: some browsers start reading the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(objectUrl), 30_000);
  }
}
