import { createTestApp, type TestApp } from './support/test-app.js';

const PUBLIC = new Set(['POST /api/auth/login', 'GET /api/health']);

describe('deny by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 without a token on every route of the OpenAPI document except the public ones', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(5);
    const open: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ');
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const response = await t.http[method.toLowerCase() as 'get'](url);
      if (PUBLIC.has(route)) continue;
      if (response.status !== 401) open.push(`${route} → ${response.status}`);
    }
    expect(open).toEqual([]);
  });
});
