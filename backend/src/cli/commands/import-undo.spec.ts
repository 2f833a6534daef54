import type { JobView, UndoConflict, UndoReport } from '../../shared/api-types.js';
import { run } from '../cli.js';
import type { CliIo } from '../io.js';
import { undoDecision } from './import-undo.js';

const IMPORT_ID = '11111111-2222-4333-8444-555555555555';
const CHECK_ID = '22222222-2222-4333-8444-555555555555';
const UNDO_ID = '33333333-2222-4333-8444-555555555555';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const job = (overrides: Partial<JobView>): JobView => ({
  id: CHECK_ID,
  type: 'undo',
  status: 'queued',
  tenantId: 't',
  createdBy: null,
  params: {},
  progress: null,
  result: null,
  error: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  ...overrides,
});

const report = (overrides: Partial<UndoReport> = {}): UndoReport => ({
  jobId: CHECK_ID,
  status: 'succeeded',
  undoesJobId: IMPORT_ID,
  changeSetId: 'cs-1',
  tenantId: 't',
  dryRun: true,
  force: false,
  plan: [
    { table: 'sessions', delete: 12, restore: 3, reinsert: 0 },
    { table: 'program_assignments', delete: 1, restore: 0, reinsert: 2 },
  ],
  conflicts: [],
  moreConflicts: 0,
  overwritten: 0,
  applied: false,
  backupId: null,
  durationMs: 5,
  ...overrides,
});

const conflict = (reason: UndoConflict['reason'], rowId = 'row-1'): UndoConflict => ({
  table: 'sessions',
  rowId,
  reason,
  message: `${reason} since the import`,
});

interface Api {
  /** The check's report (result of the dry-run undo job). */
  check?: UndoReport;
  checkStatus?: JobView['status'];
  /** The real undo's final job. */
  undo?: Partial<JobView>;
  /** An error answer to the first POST. */
  refuse?: { status: number; code: string; message: string };
}

/** The CLI in memory against a fake API of undo routes; records every POST body. */
function harness(api: Api, options: { tty?: boolean; answer?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const posted: unknown[] = [];
  const questions: string[] = [];
  const jobs = new Map<string, JobView>();
  jobs.set(CHECK_ID, job({ status: api.checkStatus ?? 'succeeded', params: { dryRun: true }, result: { ...(api.check ?? report()) } }));
  jobs.set(UNDO_ID, job({ id: UNDO_ID, status: 'succeeded', params: { dryRun: false }, ...api.undo }));
  const io: CliIo = {
    env: { RYTHM_API: 'http://api.test', RYTHM_TOKEN: 't', RYTHM_POLL_MS: '1' },
    cwd: '/nowhere',
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdinIsTTY: options.tty ?? false,
    fetch: (input, init = {}) => Promise.resolve(answer(input, init)),
    prompt: (question) => {
      questions.push(question);
      return Promise.resolve(options.answer ?? 'no');
    },
    onInterrupt: () => undefined,
  };
  function answer(input: string, init: RequestInit): Response {
    const url = new URL(input);
    const method = init.method ?? 'GET';
    if (method === 'POST' && url.pathname === `/api/imports/${IMPORT_ID}/undo`) {
      const body = JSON.parse(init.body as string) as { dryRun?: boolean };
      posted.push(body);
      if (api.refuse) return json({ statusCode: api.refuse.status, code: api.refuse.code, message: api.refuse.message }, api.refuse.status);
      return json(job({ id: body.dryRun ? CHECK_ID : UNDO_ID, status: 'queued' }), 202);
    }
    const found = method === 'GET' && url.pathname.startsWith('/api/jobs/') ? jobs.get(url.pathname.slice('/api/jobs/'.length)) : undefined;
    if (found) return json(found);
    return json({ statusCode: 404, code: 'NOT_FOUND', message: `Cannot ${method} ${url.pathname}` }, 404);
  }
  return {
    posted,
    questions,
    run: async (...argv: string[]) => {
      const code = await run(argv, io);
      return { code, stdout, stderr };
    },
  };
}

describe('rythm-data import undo', () => {
  it('refuses a real undo outside a terminal without --yes (exit 2) and sends nothing', async () => {
    const h = harness({});
    const result = await h.run('import', 'undo', IMPORT_ID);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('An undo puts rows back as they were before the import: add --yes to confirm, or --dry-run to check only');
    expect(h.posted).toEqual([]);
  });

  it('with --dry-run checks only and prints the plan aligned like the other tables', async () => {
    const h = harness({});
    const result = await h.run('import', 'undo', IMPORT_ID, '--dry-run');
    expect(result.code).toBe(0);
    expect(h.posted).toEqual([{ dryRun: true }]);
    expect(result.stdout).toContain(`Undoes job ${IMPORT_ID}, from change set cs-1.`);
    expect(result.stdout).toContain(
      [
        'table                delete  restore  reinsert',
        '-------------------  ------  -------  --------',
        'sessions                 12        3         0',
        'program_assignments       1        0         2',
      ].join('\n'),
    );
    expect(result.stdout).toContain('Check only: nothing was written.');
  });

  it('lists the conflicts and asks for --force when rows changed since the import (exit 1, no undo)', async () => {
    const h = harness({ check: report({ conflicts: [conflict('changed'), conflict('deleted', 'row-2')], moreConflicts: 3 }) });
    const result = await h.run('import', 'undo', IMPORT_ID, '--yes');
    expect(result.code).toBe(1);
    expect(h.posted).toEqual([{ dryRun: true }]);
    expect(result.stdout).toContain('Conflicts (2; 3 more not listed):');
    expect(result.stdout).toMatch(/^sessions\s+row-2\s+deleted\s+deleted since the import$/m);
    expect(result.stdout).toContain('5 rows changed since the import: add --force to overwrite them');
  });

  it('never undoes when a row blocks it, even with --force --yes', async () => {
    const h = harness({ check: report({ conflicts: [conflict('changed'), conflict('references', 'row-9')] }) });
    const result = await h.run('import', 'undo', IMPORT_ID, '--force', '--yes');
    expect(result.code).toBe(1);
    expect(h.posted).toEqual([{ dryRun: true }]);
    expect(result.stdout).toMatch(/^sessions\s+row-9\s+references \(blocks\)\s+references since the import$/m);
    expect(result.stdout).toContain('Blocked:');
  });

  it('with --yes checks, undoes, prints the outcome and how to redo', async () => {
    const applied = report({ jobId: UNDO_ID, dryRun: false, applied: true, backupId: 'cs-2' });
    const h = harness({ undo: { result: { ...applied } } });
    const result = await h.run('import', 'undo', IMPORT_ID, '--yes');
    expect(result.code).toBe(0);
    expect(h.posted).toEqual([{ dryRun: true }, { dryRun: false }]);
    expect(result.stdout).toContain('Undone in one transaction: 13 rows deleted, 3 rows put back, 2 rows inserted again.');
    expect(result.stdout).toContain(`To redo the import: rythm-data import undo ${UNDO_ID}`);
  });

  it('sends force on the real undo with --force, and says how many rows it overwrote', async () => {
    const applied = report({ jobId: UNDO_ID, dryRun: false, force: true, applied: true, overwritten: 1, backupId: 'cs-2' });
    const h = harness({ check: report({ conflicts: [conflict('changed')] }), undo: { result: { ...applied } } });
    const result = await h.run('import', 'undo', IMPORT_ID, '--force', '--yes');
    expect(result.code).toBe(0);
    expect(h.posted).toEqual([{ dryRun: true }, { dryRun: false, force: true }]);
    expect(result.stdout).toContain('; 1 row changed since were overwritten.');
  });

  it('on a terminal asks with the counts first, and undoes nothing unless the answer is yes', async () => {
    const no = harness({}, { tty: true, answer: 'n' });
    const refused = await no.run('import', 'undo', IMPORT_ID);
    expect(refused.code).toBe(1);
    expect(no.questions[0]).toContain(`Undo job ${IMPORT_ID} at http://api.test: delete 13 rows, put back 3 rows, insert again 2 rows?`);
    expect(refused.stderr).toContain('Not undone.');
    expect(no.posted).toEqual([{ dryRun: true }]);

    const yes = harness({ undo: { result: { ...report({ applied: true, dryRun: false }) } } }, { tty: true, answer: 'yes' });
    expect((await yes.run('import', 'undo', IMPORT_ID)).code).toBe(0);
    expect(yes.posted).toEqual([{ dryRun: true }, { dryRun: false }]);
  });

  it('exits 1 with the conflicts when the real undo is refused after the check', async () => {
    const h = harness({
      undo: {
        status: 'failed',
        error: { code: 'CONFLICT', message: '1 row changed since the import' },
        result: { ...report({ jobId: UNDO_ID, dryRun: false, conflicts: [conflict('changed', 'row-7')] }) },
      },
    });
    const result = await h.run('import', 'undo', IMPORT_ID, '--yes');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^sessions\s+row-7\s+changed/m);
    expect(result.stdout).toContain('Not undone: 1 row changed since the import (CONFLICT). Nothing was written.');
  });

  it("exits 1 with the API's message when the import cannot be undone", async () => {
    const h = harness({ refuse: { status: 410, code: 'GONE', message: 'The restore point of this import is a full backup: restore backup b1 instead' } });
    const result = await h.run('import', 'undo', IMPORT_ID, '--dry-run');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: The restore point of this import is a full backup: restore backup b1 instead');
  });

  it('with --json prints the check and the undo as one document', async () => {
    const h = harness({ undo: { result: { ...report({ jobId: UNDO_ID, dryRun: false, applied: true }) } } });
    const result = await h.run('import', 'undo', IMPORT_ID, '--yes', '--json');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { check: { report: UndoReport }; undo: { job: JobView; report: UndoReport } };
    expect(doc.check.report.dryRun).toBe(true);
    expect(doc.undo.job.id).toBe(UNDO_ID);
    expect(doc.undo.report.applied).toBe(true);
  });

  it('keeps `import <file>` working beside it, and lists both in the help', async () => {
    const h = harness({});
    const file = await h.run('import', '--tenant', 'undo', 'missing.json');
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('No such file: /nowhere/missing.json');
    const help = await harness({}).run('--help');
    expect(help.stdout).toMatch(/^ {2}import <file> {2,}Import a bundle/m);
    expect(help.stdout).toMatch(/^ {2}import undo <job-id> {2,}Undo an applied import/m);
    const importHelp = await harness({}).run('import', '--help');
    expect(importHelp.stdout).toContain('Usage: rythm-data import <file>');
    expect(importHelp.stdout).toContain('undo <job-id> [--dry-run] [--force] [--yes]');
  });

  it('decides from the conflicts: undo, force, or blocked', () => {
    expect(undoDecision(report())).toBe('undo');
    expect(undoDecision(report({ conflicts: [conflict('created')] }))).toBe('force');
    expect(undoDecision(report({ moreConflicts: 1 }))).toBe('force');
    expect(undoDecision(report({ conflicts: [conflict('power')] }))).toBe('blocked');
  });
});
