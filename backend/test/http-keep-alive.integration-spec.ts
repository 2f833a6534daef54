import http, { type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The API keeps idle keep-alive connections longer than Node's 5 s default: a client that reuses
 * one after a pause (the browser tests did, after 8 s of wizard steps) must not meet a socket the
 * server is closing at that moment (ECONNRESET).
 */
describe('HTTP keep-alive', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp();
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers on the same connection after 6 s of idleness', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number | undefined; socket: Socket }>((resolve, reject) => {
        const request = http.get({ host: '127.0.0.1', port, path: '/api/health', agent }, (response) => {
          response.resume();
          const socket = request.socket;
          if (!socket) return reject(new Error('the request has no socket'));
          response.on('end', () => resolve({ status: response.statusCode, socket }));
        });
        request.on('error', reject);
      });
    try {
      const first = await get();
      expect(first.status).toBe(200);
      await sleep(6_000);
      const second = await get();
      expect(second.status).toBe(200);
      // Had the server closed the idle socket, the agent would have opened a new one.
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 30_000);
});
