import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideConsoleTesting } from '../../../testing/providers';
import { SILENT_ERRORS } from '../http/http-context';
import { describeError, describeErrorAsync } from './error-message';

describe('error messages', () => {
  it("uses the API's message, adding field messages it does not already contain", () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: { statusCode: 400, code: 'BAD_REQUEST', message: 'Invalid export', fields: [{ field: 'format', message: 'must be json, sql or csv' }] },
    });
    expect(describeError(error)).toBe('Invalid export (format: must be json, sql or csv)');

    const listed = new HttpErrorResponse({
      status: 400,
      error: {
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'Invalid request: format must be json',
        fields: [{ field: 'format', message: 'format must be json' }],
      },
    });
    expect(describeError(listed)).toBe('Invalid request: format must be json');
  });

  it('explains a network failure and a bare status', () => {
    expect(describeError(new HttpErrorResponse({ status: 0 }))).toMatch(/Cannot reach/);
    expect(describeError(new HttpErrorResponse({ status: 502, statusText: 'Bad Gateway' }))).toBe('The server answered 502 Bad Gateway.');
  });

  it('reads the JSON error body of a blob download', async () => {
    const body = new Blob([JSON.stringify({ statusCode: 404, code: 'EXPIRED', message: 'The export file has expired' })]);
    await expect(describeErrorAsync(new HttpErrorResponse({ status: 404, error: body }))).resolves.toBe('The export file has expired');
  });
});

describe('errorInterceptor', () => {
  let http: HttpClient;
  let controller: HttpTestingController;
  let open: jest.SpyInstance;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: provideConsoleTesting() });
    http = TestBed.inject(HttpClient);
    controller = TestBed.inject(HttpTestingController);
    open = jest.spyOn(TestBed.inject(MatSnackBar), 'open');
  });

  afterEach(() => controller.verify());

  it("shows the API's message in a snackbar", () => {
    http.get('/api/tenants').subscribe({ error: () => undefined });
    controller
      .expectOne('/api/tenants')
      .flush({ statusCode: 409, code: 'LOCKED', message: 'Another import is running for acme' }, { status: 409, statusText: 'Conflict' });

    expect(open).toHaveBeenCalledWith('Another import is running for acme', 'Dismiss', expect.objectContaining({ politeness: 'assertive' }));
  });

  it('stays quiet for requests marked SILENT_ERRORS', () => {
    http.get('/api/jobs/x', { context: new HttpContext().set(SILENT_ERRORS, true) }).subscribe({ error: () => undefined });
    controller.expectOne('/api/jobs/x').flush({ message: 'gone' }, { status: 404, statusText: 'Not Found' });

    expect(open).not.toHaveBeenCalled();
  });
});
