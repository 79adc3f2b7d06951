/**
 * The attack process (tools/abuse/attack-process.ts): receives one
 * AttackOrder, floods until its phase ends or it is told to stop, sends what
 * the attacker got, and exits.
 */
import { attackNamed, type HttpAttack } from './attacks.js';
import type { AttackOrder, AttackReport } from './attack-process.js';
import { startFlood, type Flood } from './flood.js';
import { startSlowloris } from './slowloris.js';

process.once('message', (order: AttackOrder) => {
  const attack = attackNamed(order.attack);
  // Built before the phase starts: some attacks make megabytes of body once.
  const next = order.requests ? cycle(order.requests) : attack.kind === 'slow' ? undefined : attack.requests(order.target);
  process.once('message', () => start(order, next));
  process.send!('ready');
});

function cycle<T>(items: readonly T[]): () => T {
  let n = 0;
  return () => items[n++ % items.length]!;
}

function start(order: AttackOrder, next: ReturnType<HttpAttack['requests']> | undefined): void {
  const flood: Flood =
    next === undefined
      ? startSlowloris(new URL(order.url).origin, { sockets: order.slowloris.sockets, byteEveryMs: order.slowloris.byteEveryMs, durationS: order.durationS })
      : startFlood(order.url, order.connections, order.durationS, next);
  process.on('message', (message) => message === 'stop' && flood.stop());
  flood.done.then(
    (answers) => {
      const report: AttackReport = [...answers];
      process.send!(report, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
