import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { signInAs } from '../../../testing/auth';
import { user } from '../../../testing/fixtures';
import { provideConsoleTesting } from '../../../testing/providers';
import { DownloadService, fileNameFromDisposition } from './download.service';

describe('fileNameFromDisposition', () => {
  it('reads quoted, plain and RFC 5987 names, preferring filename*', () => {
    expect(fileNameFromDisposition('attachment; filename="acme-2026.json.gz"')).toBe('acme-2026.json.gz');
    expect(fileNameFromDisposition('attachment; filename=acme.sql')).toBe('acme.sql');
    expect(fileNameFromDisposition(`attachment; filename="x.zip"; filename*=UTF-8''caf%C3%A9.zip`)).toBe('café.zip');
    expect(fileNameFromDisposition('attachment')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });

  it('keeps only the base name of a path', () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
  });
});

describe('DownloadService', () => {
  it('fetches the file with the auth header and saves it under the server name', async () => {
    TestBed.configureTestingModule({ providers: provideConsoleTesting() });
    const http = TestBed.inject(HttpTestingController);
    signInAs(user('org_admin'), 'jwt-d');
    const createObjectURL = jest.fn(() => 'blob:fake');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('acme.json');
      expect(this.getAttribute('href')).toBe('blob:fake');
    });

    const saved = TestBed.inject(DownloadService).download('/api/exports/e1/download', 'fallback.json');
    const req = http.expectOne('/api/exports/e1/download');
    expect(req.request.responseType).toBe('blob');
    expect(req.request.headers.get('Authorization')).toBe('Bearer jwt-d');
    req.flush(new Blob(['{}']), { headers: { 'Content-Disposition': 'attachment; filename="acme.json"' } });

    await expect(saved).resolves.toBe('acme.json');
    expect(click).toHaveBeenCalledTimes(1);
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    http.verify();
  });
});
