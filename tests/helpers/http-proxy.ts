import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy received, numbered from 1 in arrival order. */
export interface ProxiedRequest {
  readonly n: number;
  readonly body: string;
  readonly at: number;
}

/**
 * What the proxy does with a request: answer it itself, or forward it to the
 * API and pass the answer back once `release` resolves (never, to hold it).
 */
export type ProxyDecision =
  | { readonly answer: { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string } }
  | { readonly forward: true; readonly release?: Promise<void>; readonly onAnswered?: () => void };

export interface TestProxy {
  /** http://127.0.0.1:<port>/graphql */
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP proxy in front of the API, for clients that must meet a misbehaving server. */
export async function startProxy(apiOrigin: string, decide: (request: ProxiedRequest) => ProxyDecision | Promise<ProxyDecision>): Promise<TestProxy> {
  const requests: ProxiedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing).catch(() => outgoing.destroy());
  });

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = { n: requests.length + 1, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
    requests.push(request);
    const decision = await decide(request);
    if ('answer' in decision) {
      outgoing.writeHead(decision.answer.status, { 'content-type': 'application/json', ...decision.answer.headers });
      outgoing.end(decision.answer.body ?? JSON.stringify({ errors: [{ message: 'proxy', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
      return;
    }
    const response = await fetch(`${apiOrigin}${incoming.url}`, {
      method: incoming.method,
      headers: { 'content-type': 'application/json', authorization: incoming.headers.authorization ?? '' },
      body: request.body,
    });
    const body = await response.text();
    decision.onAnswered?.();
    await decision.release;
    outgoing.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
    outgoing.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
