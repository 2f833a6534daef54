import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response, Test } from 'supertest';
import { createApp } from '../src/bootstrap.js';
import { buildOpenApiDocument } from '../src/common/openapi-document.js';
import type { JobView } from '../src/shared/api-types.js';
import { auditCases, backupCases, type Case, type CaseKit, type Context, qaCases, signInCases, UNKNOWN } from './support/contract-cases.js';
import { transferCases } from './support/contract-transfer-cases.js';
import { type Answer, OpenApiContract } from './support/openapi-contract.js';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * The OpenAPI document against the real API: every operation of GET /api/docs-json is called with
 * valid requests and some refused ones, and each answer must keep the status, media type and
 * schema the document gives it. An operation without a case fails, so a new route needs one.
 */
describe('the OpenAPI document holds for every route', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let contract: OpenApiContract;
  let scratch: string;
  const ctx = {} as Context;

  const token = async (who: string) => t.token(who);
  const wait = async (job: string, who = SYSADMIN): Promise<JobView> => waitForJob(t, await token(who), job);
  const raw = (response: Response, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  };
  const send = async (op: string, url: string, who: string | null, build?: (request: Test) => Test): Promise<Answer> => {
    const method = op.split(' ')[0].toLowerCase() as 'get' | 'post' | 'delete';
    let request = t.http[method](url);
    if (who) request = request.set('authorization', `Bearer ${await token(who)}`);
    if (build) request = build(request);
    const response = await request.buffer(true).parse(raw);
    const contentType = String(response.headers['content-type'] ?? '').split(';')[0];
    const bytes = response.body as Buffer;
    const body = contentType === 'application/json' ? (JSON.parse(bytes.toString('utf8')) as unknown) : undefined;
    return { status: response.status, contentType, raw: bytes, body };
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_UPLOAD_MB: '1' } });
    scratch = await mkdtemp(join(tmpdir(), 'rythm-openapi-contract-'));
    [{ id: ctx.northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: ctx.harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    document = (await t.http.get('/api/docs-json').expect(200)).body as OpenAPIObject;
    contract = new OpenApiContract(document);
  });
  afterAll(async () => {
    await t.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const kit: CaseKit = { app: () => t, ctx, scratch: () => scratch, send, wait };
  const cases: Case[] = [...signInCases(), ...transferCases(kit), ...backupCases(kit), ...auditCases(kit), ...qaCases(kit)];

  it('is the document that `npm run openapi:lint` writes and lints (Nest preview mode, no database)', async () => {
    const preview = await createApp(t.config, 'postgres://preview.invalid/none', { logger: false, preview: true });
    try {
      expect(JSON.parse(JSON.stringify(buildOpenApiDocument(preview)))).toEqual(document);
    } finally {
      await preview.close();
    }
  });

  it('has a case for every operation, with a success among them, and no case for an operation it lacks', () => {
    const operations = contract.operations();
    expect(operations.length).toBeGreaterThanOrEqual(23);
    const succeeding = new Set(cases.filter((c) => c.status < 300).map((c) => c.op));
    expect(operations.filter((op) => !succeeding.has(op))).toEqual([]);
    expect([...new Set(cases.map((c) => c.op))].filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('gives every answer a body schema (none for 204), every 4xx the ApiErrorBody, and every operation a summary and its security', () => {
    const gaps: string[] = [];
    for (const op of contract.operations()) {
      const operation = contract.operation(op);
      if (!operation.summary) gaps.push(`${op}: no summary`);
      if (!operation.security) gaps.push(`${op}: no security`);
      for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
        const media = Object.entries(response.content ?? {});
        if (status === '204') {
          if (media.length) gaps.push(`${op} 204: documents a body`);
          continue;
        }
        if (media.length === 0) gaps.push(`${op} ${status}: no body`);
        for (const [type, { schema }] of media) {
          if (!schema) gaps.push(`${op} ${status} ${type}: no schema`);
          else if (status.startsWith('4') && !JSON.stringify(schema).includes('"#/components/schemas/ApiErrorBody"'))
            gaps.push(`${op} ${status} ${type}: not an ApiErrorBody`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it('answers 401 with its documented body on every operation that needs a token, called without one', async () => {
    const problems: string[] = [];
    for (const op of contract.operations()) {
      if ((contract.operation(op).security ?? []).length === 0) continue;
      const url = op.split(' ')[1].replace(/\{[^}]+\}/g, UNKNOWN);
      const answer = await send(op, url, null);
      if (answer.status !== 401) problems.push(`${op} → ${answer.status}`);
      else problems.push(...contract.problemsOf(op, url, answer));
    }
    expect(problems).toEqual([]);
  });

  it.each(cases)('$op answers $status as documented when $title', async (c) => {
    await c.before?.();
    const [url, who, build] = await c.request();
    const answer = await send(c.op, url, who, build);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: c.status });
    expect(contract.problemsOf(c.op, url, answer)).toEqual([]);
    c.after?.(answer);
  });

  it('checked a success of every operation against the document', () => {
    const missing = contract.operations().filter((op) => ![...contract.checked].some((key) => key.startsWith(`${op} 2`)));
    expect(missing).toEqual([]);
  });
});
