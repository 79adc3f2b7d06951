import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { lsnKeyText, parseLsn } from '../../src/db/replicas/lsn.js';
import { ReadRouter, type PrimaryReason } from '../../src/db/replicas/read-router.js';
import { replicaName } from '../../src/db/replicas/read-routing.js';
import { ReplicaHealth } from '../../src/db/replicas/replica-health.js';
import { WritePositions } from '../../src/db/replicas/write-positions.js';

const clock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('WAL positions', () => {
  it('parses pg_lsn text into a byte position and keeps its order in the text stored in Redis', () => {
    expect(parseLsn('0/3000000')).toBe(0x3000000n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    const [low, high] = [parseLsn('9/FFFFFFFF'), parseLsn('A/0')];
    expect(high - low).toBe(1n);
    expect(lsnKeyText(low) < lsnKeyText(high)).toBe(true);
    expect(lsnKeyText(high)).toBe('0000000A00000000');
    expect(() => parseLsn('not/an lsn')).toThrow();
  });
});

describe('ReplicaHealth', () => {
  it('measures lag against the primary positions it has seen, and takes a replica past the bound out of rotation', () => {
    const time = clock();
    const health = new ReplicaHealth(['r1'], { maxLagMs: 5_000, now: time.now });
    health.primarySampled(100n, time.now());
    health.polled(0, time.now(), { replayLsn: 100n, inRecovery: true });
    expect(health.states()[0]).toMatchObject({ inRotation: true, lagBytes: 0, lagSeconds: 0 });

    // The primary moves on; the replica stays at 100 (its commits older than the first sample only).
    time.advance(1_000);
    health.primarySampled(300n, time.now());
    health.polled(0, time.now(), { replayLsn: 100n, inRecovery: true });
    expect(health.states()[0]).toMatchObject({ inRotation: true, lagBytes: 200, lagSeconds: 1 });
    expect(health.eligible(undefined)).toEqual([0]);
    expect(health.eligible(100n)).toEqual([0]);
    expect(health.eligible(101n)).toEqual([]);

    time.advance(4_001);
    expect(health.states()[0]).toMatchObject({ inRotation: false, lagSeconds: 5.001 });
    health.polled(0, time.now(), { replayLsn: 300n, inRecovery: true });
    expect(health.states()[0]).toMatchObject({ inRotation: true, lagBytes: 0 });
  });

  it('keeps a replica out from a failed statement until a poll sent after the failure answers', () => {
    const time = clock();
    const health = new ReplicaHealth(['r1'], { maxLagMs: 5_000, now: time.now });
    health.primarySampled(100n, time.now());
    const sentBefore = time.now();
    time.advance(10);
    health.failed(0);
    health.polled(0, sentBefore, { replayLsn: 100n, inRecovery: true });
    expect(health.anyInRotation()).toBe(false);
    time.advance(10);
    health.polled(0, time.now(), { replayLsn: 100n, inRecovery: true });
    expect(health.anyInRotation()).toBe(true);
  });

  it('takes out a replica that does not answer, one that is not in recovery, and one behind every position it has seen', () => {
    const time = clock();
    const health = new ReplicaHealth(['down', 'promoted', 'behind'], { maxLagMs: 5_000, now: time.now });
    health.primarySampled(500n, time.now());
    health.polled(0, time.now(), undefined);
    health.polled(1, time.now(), { replayLsn: null, inRecovery: false });
    health.polled(2, time.now(), { replayLsn: 400n, inRecovery: true });
    expect(health.states().map((state) => state.inRotation)).toEqual([false, false, false]);
    expect(health.states()[2]!.lagSeconds).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('WritePositions without Redis', () => {
  it("holds a viewer's newest position for its TTL, for that viewer only", async () => {
    const time = clock();
    const positions = new WritePositions(30_000, undefined, time.now);
    await positions.record('u1', 200n);
    await positions.record('u1', 150n);
    expect(await positions.required('u1')).toBe(200n);
    expect(await positions.required('u2')).toBeUndefined();
    time.advance(29_999);
    expect(await positions.required('u1')).toBe(200n);
    time.advance(1);
    expect(await positions.required('u1')).toBeUndefined();
  });
});

describe('ReadRouter', () => {
  const setUp = () => {
    const time = clock();
    const health = new ReplicaHealth(['r1', 'r2'], { maxLagMs: 5_000, now: time.now });
    const positions = new WritePositions(30_000, undefined, time.now);
    const reasons: PrimaryReason[] = [];
    const router = new ReadRouter(positions, health, (reason) => reasons.push(reason));
    health.primarySampled(100n, time.now());
    return { time, health, positions, router, reasons };
  };

  it('spreads reads without a recent write over the replicas in rotation', async () => {
    const { health, router, reasons } = setUp();
    health.polled(0, 0, { replayLsn: 100n, inRecovery: true });
    health.polled(1, 0, { replayLsn: 100n, inRecovery: true });
    const targets = await Promise.all([1, 2, 3, 4].map(() => router.target('u1')));
    expect(targets.map((target) => ('replica' in target ? target.replica : -1)).sort()).toEqual([0, 0, 1, 1]);
    expect(reasons).toEqual([]);
  });

  it("sends a viewer's reads only to a replica past their write, else to the primary, counted", async () => {
    const { health, positions, router, reasons } = setUp();
    health.polled(0, 0, { replayLsn: 100n, inRecovery: true });
    health.polled(1, 0, { replayLsn: 90n, inRecovery: true });
    await positions.record('u1', 95n);
    expect(await router.target('u1')).toEqual({ replica: 0 });
    await positions.record('u1', 120n);
    expect(await router.target('u1')).toEqual({ primary: 'recent_write' });
    expect(reasons).toEqual(['recent_write']);
    // Another viewer is not held back by u1's write.
    expect('replica' in (await router.target('u2'))).toBe(true);
  });

  it('sends reads to the primary when no replica is in rotation', async () => {
    const { health, router, reasons } = setUp();
    health.polled(0, 0, undefined);
    health.polled(1, 0, undefined);
    expect(await router.target('u1')).toEqual({ primary: 'no_replica' });
    expect(reasons).toEqual(['no_replica']);
  });
});

describe('replica settings', () => {
  const primary = 'postgres://app@db-primary:5432/arya';
  it('reads DATABASE_REPLICA_URLS and the bounds, with defaults', () => {
    const config = loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'postgres://app:secret@db-r1:5433/arya, postgres://app@db-r2/arya' });
    expect(config.replicas).toEqual({
      urls: ['postgres://app:secret@db-r1:5433/arya', 'postgres://app@db-r2/arya'],
      maxLagMs: 5_000,
      pollMs: 250,
      readYourWritesTtlMs: 30_000,
    });
    expect(loadConfig({}).replicas.urls).toEqual([]);
    // Labels and logs name a replica without its credentials.
    expect(replicaName(config.replicas.urls[0]!)).toBe('db-r1:5433/arya');
    expect(replicaName(config.replicas.urls[1]!)).toBe('db-r2:5432/arya');
  });

  it('refuses replicas without a primary, and a position kept for less than a replica may lag', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DATABASE_REPLICA_URLS: 'postgres://db-r1/arya' })).toEqual(['DATABASE_REPLICA_URLS needs DATABASE_URL (the primary)']);
    expect(problems({ DATABASE_URL: primary, REPLICA_MAX_LAG_MS: '10000', READ_YOUR_WRITES_TTL_S: '10' })).toEqual([
      'READ_YOUR_WRITES_TTL_S must be longer than REPLICA_MAX_LAG_MS plus REPLICA_POLL_MS',
    ]);
    expect(problems({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mysql://db-r1/arya' })).toEqual(['DATABASE_REPLICA_URLS must start with postgres:// or postgresql://']);
  });
});
