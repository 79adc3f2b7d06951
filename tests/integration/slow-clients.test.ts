import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { boundClientSilence, httpTimeouts } from '../../src/resilience/http-timeouts.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a client that sends slowly', () => {
  let api: TestApi;
  let port: number;
  beforeAll(async () => {
    // 1.5 s for a whole request, 300 ms of silence: far below the defaults, so the test is quick.
    api = await startTestApi({ HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_CONNECTION_TIMEOUT_MS: '300' });
    await api.server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (api.server.app.server.address() as { port: number }).port;
  });
  afterAll(() => api.close());

  /** A raw connection: what it received, and when the server closed it (ms after connecting), or undefined by `deadlineMs`. */
  async function rawConnection(deadlineMs: number, talk: (socket: Socket) => void) {
    const socket = connect(port, '127.0.0.1');
    const startedAt = performance.now();
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => {}); // a reset is a close too
    talk(socket);
    const closedAfterMs = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), deadlineMs);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(performance.now() - startedAt);
      });
    });
    socket.destroy();
    return { received, closedAfterMs };
  }

  it('is answered 408 and closed once its request has taken longer than HTTP_REQUEST_TIMEOUT_MS, however steadily it trickles', async () => {
    let trickle: NodeJS.Timeout | undefined;
    const { received, closedAfterMs } = await rawConnection(6_000, (socket) => {
      socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
      // One byte every 100 ms: never silent for the 300 ms connection timeout, never done.
      trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    });
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_400);
    // The timeout plus Node's check interval (at most 1 s).
    expect(closedAfterMs).toBeLessThan(3_500);
  });

  it('is closed after HTTP_CONNECTION_TIMEOUT_MS of silence in the middle of its headers', async () => {
    const { closedAfterMs } = await rawConnection(6_000, (socket) => {
      socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\n');
    });
    expect(closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(closedAfterMs).toBeLessThan(1_400);
  });
});

describe('a request the server works on longer than HTTP_CONNECTION_TIMEOUT_MS', () => {
  it('is answered, twice on one kept-alive connection: only the client\'s silence counts', async () => {
    const { http } = loadConfig({ HTTP_CONNECTION_TIMEOUT_MS: '300' });
    const app = Fastify({ ...httpTimeouts(http) });
    boundClientSilence(app, http);
    app.post('/slow', async () => {
      await delay(1_000);
      return { done: true };
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${address}/slow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(await response.json()).toEqual({ done: true });
      }
    } finally {
      await app.close();
    }
  });
});

describe('the request id', () => {
  let api: TestApi;
  const lines: string[] = [];
  beforeAll(async () => {
    api = await startTestApi({}, { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
  });
  afterAll(() => api.close());

  const send = (requestId: string) =>
    api.server.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, payload: { query: '{ __typename }' } });
  const loggedIdsOf = (requestLine: string) => lines.map((line) => JSON.parse(line) as { msg: string; reqId?: string }).filter((line) => line.msg === requestLine).map((line) => line.reqId);

  it('keeps a short, plain x-request-id: the log and the response carry it', async () => {
    const response = await send('edge-7f3a.2_b');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('edge-7f3a.2_b');
    expect(loggedIdsOf('graphql request')).toContain('edge-7f3a.2_b');
  });

  it('replaces one that is long or not plain with its own UUID, which the log and the response carry instead', async () => {
    for (const offered of ['x'.repeat(65), 'id with spaces', '<script>alert(1)</script>', 'a"b', '']) {
      lines.length = 0;
      const response = await send(offered);
      expect(response.statusCode, offered).toBe(200);
      const id = String(response.headers['x-request-id']);
      expect(id, offered).toMatch(UUID);
      expect(loggedIdsOf('graphql request'), offered).toEqual([id]);
      if (offered !== '') expect(lines.join('\n'), offered).not.toContain(offered);
    }
  });
});
