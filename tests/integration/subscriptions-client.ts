import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { TestApi, TestUser } from '../helpers/test-api.js';
export type { NewTestUser } from '../helpers/test-api.js';
import { eventually } from '../helpers/redis-server.js';

/** The API listening on a free loopback port (tests otherwise inject): graphql-ws needs a real socket. */
export async function wsUrlOf(api: TestApi): Promise<string> {
  const address = api.server.app.server.address() as AddressInfo | null;
  if (address) return `ws://127.0.0.1:${address.port}/graphql`;
  await api.server.app.listen({ host: '127.0.0.1', port: 0 });
  return wsUrlOf(api);
}

/** A GraphQL request over HTTP, as a client would send it. */
export async function gql<T = Record<string, any>>(api: TestApi, query: string, variables: Record<string, unknown>, as: TestUser) {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${as.token}` },
    payload: JSON.stringify({ query, variables }),
  });
  return response.json() as { data?: T; errors?: { extensions?: { code?: string } }[] };
}

export interface ProtocolMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: any;
}

/**
 * A graphql-transport-ws client at the protocol's level, so that tests see
 * every message and the close code exactly; `read: false` never reads from
 * the socket (a consumer that stays behind).
 */
export class RawClient {
  readonly messages: ProtocolMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data)) as ProtocolMessage));
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(url: string): Promise<RawClient> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const client = new RawClient(socket);
    await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
    return client;
  }

  /** Opened and acknowledged with `token`. */
  static async signedIn(url: string, token: string): Promise<RawClient> {
    const client = await RawClient.open(url);
    client.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    await client.waitFor((message) => message.type === 'connection_ack', 'connection_ack');
    return client;
  }

  send(message: ProtocolMessage): void {
    this.socket.send(JSON.stringify(message));
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ type: 'subscribe', id, payload: { query, variables } });
  }

  /** The `next` payloads of subscription `id` so far. */
  nexts(id: string): any[] {
    return this.messages.filter((message) => message.id === id && message.type === 'next').map((message) => message.payload);
  }

  async waitFor(match: (message: ProtocolMessage) => boolean, what: string, timeoutMs = 5_000): Promise<ProtocolMessage> {
    return eventually(what, async () => this.messages.find(match), timeoutMs);
  }

  /** Until subscription `id` has sent `count` values; answers them. */
  async nextsOf(id: string, count: number, timeoutMs = 5_000): Promise<any[]> {
    await eventually(`${count} values of ${id}`, async () => this.nexts(id).length >= count, timeoutMs);
    return this.nexts(id);
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Subscribed and listening: a `since`-less subscription has nothing to send first, so a probe write tells it is live. */
export const TASK_UPDATED = `subscription($id: ID!, $since: String) { taskUpdated(id: $id, since: $since) { id status progress version } }`;
export const VIEWER_TASKS = `subscription($since: String) { viewerTasksChanged(since: $since) { kind taskId version task { id topic status } } }`;
export const MESSAGE_ADDED = `subscription($id: ID!, $since: String) { messageAdded(conversationId: $id, since: $since) { id role content version } }`;
export const STORYBOARDS = `subscription($id: ID!, $since: String) { storyboardsChanged(taskId: $id, since: $since) { id sequenceNumber version } }`;
export const UPDATE_STATUS = `mutation($input: UpdateTaskStatusInput!) { updateTaskStatus(input: $input) { id status progress version } }`;

let probes = 0;
/**
 * A progress for a probe write: each higher than the last (a task's progress
 * never goes down: a lower one is INVALID_TRANSITION), and small, so a test's
 * own values (0.3, 0.6 ...) stay above every probe's.
 */
export function probeProgress(): number {
  probes += 1;
  return probes / 100_000;
}
