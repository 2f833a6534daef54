import { type APIRequestContext, test } from '@playwright/test';
import type { RythmApi } from './api.js';

// Parts of the console's contract that the backend delivers in the lead's branch (issue 16):
// until that branch is merged, the tests of those parts mark themselves `fixme` instead of failing
// on a missing route or field. Once merged, the probes find them and the tests run (and can fail).
// Remove a probe when its feature has landed on main.

/** GET /api/imports/:jobId/errors.csv exists (an unknown route answers "Cannot GET …"). */
export async function hasErrorsCsv(request: APIRequestContext, api: RythmApi, jobId: string): Promise<boolean> {
  const response = await request.get(`/api/imports/${jobId}/errors.csv`, { headers: { authorization: `Bearer ${api.token}` } });
  if (response.ok()) return true;
  const body = await response.text();
  return !(response.status() === 404 && /Cannot GET/i.test(body));
}

/** The import report carries `rowLabels` (ImportReport.rowLabels). */
export async function hasRowLabels(api: RythmApi, jobId: string): Promise<boolean> {
  return (await api.importReport(jobId)).rowLabels !== undefined;
}

export function fixmeUntil(available: boolean, feature: string): void {
  test.fixme(!available, `needs ${feature} from the backend (issue 16, lead's branch)`);
}
