import type { Fixtures } from './fixtures.js';
import type { LoadOutcome, LoadRequest } from './load.js';
import type { WorkloadId } from './types.js';

/** What every workload is: a check against the database, then one or more timed phases. */

/** A timed loop's figures: those of an autocannon phase plus its own. */
export interface LoopOutcome extends LoadOutcome {
  readonly extra: Record<string, number>;
  readonly notes: string[];
}

export interface WorkloadContext {
  readonly url: string;
  readonly fixtures: Fixtures;
  /** What GET /metrics wants (W9 reads the server's RSS there). */
  readonly metricsToken?: string | undefined;
}

/** A timed phase driven by autocannon: `next()` makes each request. */
export interface LoadPhase {
  readonly kind: 'load';
  readonly key: string;
  readonly title: string;
  readonly next: () => LoadRequest;
  /** Figures derived from the throughput, e.g. W6's tasks/s. */
  readonly extra?: (reqPerSec: number) => Record<string, number>;
  readonly notes: readonly string[];
}

/** A timed phase with its own loop of concurrent requests (W8). */
export interface LoopPhase {
  readonly kind: 'loop';
  readonly key: string;
  readonly title: string;
  readonly run: (options: { url: string; connections: number; durationS: number }) => Promise<LoopOutcome>;
  readonly notes: readonly string[];
}

export type Phase = LoadPhase | LoopPhase;

export interface Workload {
  readonly id: WorkloadId;
  readonly title: string;
  /** Sends the workload's request once, checks the answer against the database, and answers its timed phases. */
  readonly prepare: (ctx: WorkloadContext) => Promise<Phase[]>;
}

/** A workload whose answer disagrees with the database: it is not timed. */
export class CheckFailed extends Error {}
