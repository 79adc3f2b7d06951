import http from 'node:http';
import https from 'node:https';
import { nextTarget } from './targets.js';

/** Plain GraphQL over HTTP POST: fetch for the one-off checks, a keep-alive node:http client for W8's loop. */

export interface GraphQLAnswer<TData> {
  readonly status: number;
  readonly data: TData | null;
  readonly errors: readonly { message: string; extensions?: { code?: string } }[] | undefined;
  /** The `x-cache` header (HIT or MISS) of the server's response cache, when it sent one. */
  readonly cacheStatus?: string | undefined;
}

export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** The JSON body autocannon sends, built once per distinct request where possible. */
export function requestBody(request: GraphQLRequest): string {
  return JSON.stringify(request);
}

export async function postGraphQL<TData>(url: string, token: string, request: GraphQLRequest): Promise<GraphQLAnswer<TData>> {
  const response = await fetch(nextTarget(url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: requestBody(request),
  });
  return parseAnswer<TData>(response.status, await response.text());
}

function parseAnswer<TData>(status: number, text: string): GraphQLAnswer<TData> {
  let parsed: { data?: TData | null; errors?: GraphQLAnswer<TData>['errors'] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON (a proxy's error page, say): the status tells what happened.
  }
  return { status, data: parsed.data ?? null, errors: parsed.errors };
}

export interface GraphQLClient {
  post<TData>(url: string, token: string, request: GraphQLRequest): Promise<GraphQLAnswer<TData>>;
  close(): void;
}

/**
 * A client for timed loops: node:http over `connections` kept-alive sockets.
 * fetch costs about ten times its CPU per request, and on a small machine the
 * runner's CPU is taken from the server it measures.
 */
export function createGraphQLClient(connections: number): GraphQLClient {
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: connections }), https: new https.Agent({ keepAlive: true, maxSockets: connections }) };
  return {
    post<TData>(url: string, token: string, request: GraphQLRequest) {
      const body = requestBody(request);
      const target = new URL(nextTarget(url));
      const transport = target.protocol === 'https:' ? https : http;
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
      return new Promise<GraphQLAnswer<TData>>((resolve, reject) => {
        const req = transport.request(target, { method: 'POST', agent: target.protocol === 'https:' ? agents.https : agents.http, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ ...parseAnswer<TData>(res.statusCode ?? 0, text), cacheStatus: res.headers['x-cache']?.toString() }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** The data of a request that must succeed; anything else is thrown with the server's words. */
export async function queryData<TData>(url: string, token: string, request: GraphQLRequest): Promise<TData> {
  const answer = await postGraphQL<TData>(url, token, request);
  if (answer.status >= 300 || answer.errors !== undefined || answer.data === null) {
    const detail = answer.errors?.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') ?? 'no data';
    throw new Error(`HTTP ${answer.status}: ${detail}`);
  }
  return answer.data;
}

/**
 * Whether an answer's body reports GraphQL errors, without parsing it: the
 * key `"errors":[` cannot occur inside a JSON string value (its quotes would
 * be escaped), and the bench operations select no JSONObject field.
 */
export function hasGraphQLErrors(body: string): boolean {
  return body.includes('"errors":[');
}
