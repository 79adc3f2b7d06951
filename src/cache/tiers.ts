/** The tiers of the performance guide: every cache namespace is declared with one. */
export type CacheTier = 'short' | 'medium' | 'long' | 'veryLong' | 'day' | 'week' | 'month';

/** The TTL tiers of the performance guide, in seconds. Configuration may override each. */
export const DEFAULT_TIER_SECONDS: Readonly<Record<CacheTier, number>> = {
  short: 60, // agent/task status and progress
  medium: 300, // task lists, API responses
  long: 900, // scripts, storyboards, conversation sessions
  veryLong: 3_600, // user configuration
  day: 86_400, // statistics
  week: 604_800, // reports
  month: 2_592_000, // archived data, persisted queries
};

export type TierTable = Readonly<Record<CacheTier, number>>;

export function tierTable(overrides: Readonly<Partial<Record<CacheTier, number>>>): TierTable {
  return Object.freeze({ ...DEFAULT_TIER_SECONDS, ...overrides });
}
