import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AttackRequest, AttackTarget } from './attacks.js';
import type { Answers, Flood } from './flood.js';

/** What the attack process is told to do: one attack, for one phase. */
export interface AttackOrder {
  readonly attack: string;
  readonly url: string;
  readonly target: AttackTarget;
  readonly connections: number;
  readonly durationS: number;
  readonly slowloris: { readonly sockets: number; readonly byteEveryMs: number };
  /** These requests in turn instead of the attack's own (tools/abuse/calibrate.ts measures well-behaved ones too). */
  readonly requests?: readonly AttackRequest[] | undefined;
}

/** The child's answer: what the attacker got, as [answer, count] pairs. */
export type AttackReport = readonly (readonly [string, number])[];

const WORKER = fileURLToPath(new URL('./attack-worker.ts', import.meta.url));

/** An attack process ready to flood: its requests built, its connections not yet open. */
export interface ReadyAttack {
  /** Starts the flood: it runs for the order's duration, or until stop(). */
  start(): Flood;
}

/**
 * The attacker in a process of its own: sharing the bench's event loop, its
 * 16 connections (and the 1 MB bodies it builds) slowed the well-behaved
 * clients' load generator as much as the server did, so the bench measured
 * itself. The child starts (tsx takes seconds on a loaded machine) and builds
 * its first requests before the phase begins, then floods (or holds its
 * slowloris sockets) and sends back its answers.
 */
export async function prepareAttackProcess(order: AttackOrder): Promise<ReadyAttack> {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(`the attack process said ${String(message)}`))));
    child.once('exit', (code) => reject(new Error(`the attack process exited with ${code} before it was ready`)));
    child.send(order);
  });
  child.removeAllListeners('exit');
  child.removeAllListeners('message');
  return { start: () => run(child) };
}

function run(child: ReturnType<typeof fork>): Flood {
  const done = new Promise<Answers>((resolve, reject) => {
    let report: AttackReport | undefined;
    child.once('message', (message) => (report = message as AttackReport));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (report) resolve(new Map(report));
      else reject(new Error(`the attack process exited with ${code} and no report`));
    });
  });
  child.send('go');
  return { done, stop: () => child.connected && child.send('stop') };
}
