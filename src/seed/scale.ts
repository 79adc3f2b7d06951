/**
 * What each seed scale puts in the database: groups of users, each user with
 * the same shape of data, cut into chunks that are inserted (and committed)
 * one at a time so that progress shows between them.
 */

/** `small` is the embedded mode's demo data, `bench` the bench data of DESIGN.md, a number a fraction of bench. */
export type SeedScale = 'small' | 'bench' | number;

/** What the seed makes for every user of a group. */
export interface UserShape {
  readonly tasks: number;
  readonly scriptsPerTask: number;
  /** Each storyboard comes with a first-frame image and a video resource. */
  readonly storyboardsPerTask: number;
  /** One narration (audio) resource per task: only the demo data shows every resource kind. */
  readonly narration: boolean;
  readonly conversations: number;
  readonly messagesPerConversation: number;
}

/** Numbered users are `user0001@arya.dev` and on; named ones are the demo user and the batch client. */
export type UserRange =
  | { readonly kind: 'numbered'; readonly first: number; readonly last: number }
  | { readonly kind: 'named'; readonly email: string; readonly displayName: string };

export interface UserGroup {
  readonly users: UserRange;
  readonly shape: UserShape;
}

export interface SeedPlan {
  readonly groups: readonly UserGroup[];
}

export const DEMO_USER = { kind: 'named', email: 'demo@arya.dev', displayName: 'Demo User' } as const;
export const BATCH_CLIENT = { kind: 'named', email: 'batch@arya.dev', displayName: 'Batch Client' } as const;

/** 40 tasks (not 30) so that the status mix of 20-task blocks holds exactly for demo users too. */
const SMALL_USER: UserShape = { tasks: 40, scriptsPerTask: 3, storyboardsPerTask: 8, narration: true, conversations: 5, messagesPerConversation: 12 };
const SMALL_NUMBERED_USERS = 4;

const BENCH_USER: UserShape = { tasks: 100, scriptsPerTask: 3, storyboardsPerTask: 8, narration: false, conversations: 10, messagesPerConversation: 30 };
const BENCH_USERS = 1_000;
/** W7 pages deep into one client's tasks; that client only creates tasks, so they have nothing else. */
const BENCH_BATCH_TASKS = 20_000;
const TASKS_ONLY: UserShape = { tasks: 0, scriptsPerTask: 0, storyboardsPerTask: 0, narration: false, conversations: 0, messagesPerConversation: 0 };

/** 10 x bench is ~16 M resources and ~30 GB: beyond that a typo is likelier than intent. */
const MAX_FACTOR = 10;

/** Users committed per transaction: a progress step of a few seconds at bench shape. */
const USERS_PER_CHUNK = 25;

export function planSeed(scale: SeedScale): SeedPlan {
  if (scale === 'small') {
    return {
      groups: [
        { users: DEMO_USER, shape: SMALL_USER },
        { users: { kind: 'numbered', first: 1, last: SMALL_NUMBERED_USERS }, shape: SMALL_USER },
      ],
    };
  }
  const factor = scale === 'bench' ? 1 : scale;
  const batchClientShape = { ...TASKS_ONLY, tasks: Math.max(1, Math.round(BENCH_BATCH_TASKS * factor)) };
  return {
    groups: [
      { users: { kind: 'numbered', first: 1, last: Math.max(1, Math.round(BENCH_USERS * factor)) }, shape: BENCH_USER },
      { users: BATCH_CLIENT, shape: batchClientShape },
    ],
  };
}

/** `small`, `bench` or a factor such as `0.1`; anything else is refused with what is accepted. */
export function parseSeedScale(text: string): SeedScale {
  if (text === 'small' || text === 'bench') return text;
  const factor = /^\d*\.?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(factor > 0 && factor <= MAX_FACTOR)) {
    throw new RangeError(`--scale must be small, bench or a factor of the bench data above 0 and up to ${MAX_FACTOR}, got "${text}"`);
  }
  return factor;
}

export function countPlannedUsers(plan: SeedPlan): number {
  return plan.groups.reduce((sum, group) => sum + rangeSize(group.users), 0);
}

export function rangeSize(range: UserRange): number {
  return range.kind === 'named' ? 1 : range.last - range.first + 1;
}

/** The plan's groups cut into ranges of at most USERS_PER_CHUNK users. */
export function chunkPlan(plan: SeedPlan): UserGroup[] {
  const chunks: UserGroup[] = [];
  for (const group of plan.groups) {
    const range = group.users;
    if (range.kind === 'named') {
      chunks.push(group);
      continue;
    }
    for (let first = range.first; first <= range.last; first += USERS_PER_CHUNK) {
      const last = Math.min(range.last, first + USERS_PER_CHUNK - 1);
      chunks.push({ users: { kind: 'numbered', first, last }, shape: group.shape });
    }
  }
  return chunks;
}
