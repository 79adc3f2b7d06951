/**
 * The only reader of process.env. `loadConfig(env)` is pure: it validates every
 * variable, collects all problems into one error that names each variable, and
 * returns a frozen Config that the rest of the code receives through arguments.
 */
export type NodeEnv = 'development' | 'production' | 'test';

export interface DatabaseConfig {
  /** Absent: the embedded PGlite database under `pgliteDataDir`. */
  readonly url: string | undefined;
  readonly pgliteDataDir: string;
  readonly poolSize: number;
  readonly connectionTimeoutMs: number;
  readonly statementTimeoutMs: number;
  /** Connections are closed and replaced after this many seconds. */
  readonly maxLifetimeSeconds: number;
  readonly ssl: boolean;
}

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** A SQL statement taking this long or longer is logged at warn (text and duration, never values). */
  readonly slowQueryMs: number;
  /** Log every SQL statement's text at debug: a development aid. */
  readonly logSql: boolean;
  /** Absent outside production: a per-checkout secret under the data folder is used. */
  readonly jwtSecret: string | undefined;
  readonly database: DatabaseConfig;
  readonly cache: CacheConfig;
  readonly limits: LimitsConfig;
  /** The path of a trusted-documents manifest: only its operations run (src/trusted-documents/). Absent: any document. */
  readonly trustedDocuments: string | undefined;
  readonly databaseGate: DatabaseGateConfig;
  readonly rateLimit: RateLimitConfig;
  readonly shutdown: ShutdownConfig;
}

/** Load shedding in front of PostgreSQL (src/resilience/gated-pool.ts). */
export interface DatabaseGateConfig {
  /** Statements running or waiting for a pooled connection at once, at most. */
  readonly maxConcurrent: number;
  /** A request that cannot start its statement within this many ms fails with SERVICE_UNAVAILABLE. */
  readonly queueTimeoutMs: number;
}

/** Per-viewer and per-IP budgets in query cost units (src/resilience/rate-limiter.ts). */
export interface RateLimitConfig {
  /** Cost units one signed-in viewer may spend per window. */
  readonly points: number;
  /** Cost units one client IP may spend per window on requests without a valid token. */
  readonly anonymousPoints: number;
  readonly windowSeconds: number;
}

/** SIGTERM handling (src/resilience/shutdown.ts). */
export interface ShutdownConfig {
  /** From the signal to exit: past it, the process exits 1 with whatever is still running. */
  readonly graceMs: number;
  /** How long /readyz answers 503 before the server stops accepting (load balancers move away meanwhile). */
  readonly drainDelayMs: number;
}

/** What one request may ask for (src/limits/); past each limit it is refused before anything runs. */
export interface LimitsConfig {
  /** Fields on the longest path of an operation, the root field counting 1. */
  readonly maxDepth: number;
  /** Aliases in an operation, fragments counted each time they are spread. */
  readonly maxAliases: number;
  /** Objects an operation may ask for, estimated from its page sizes (src/limits/cost.ts). */
  readonly maxCost: number;
  /** Lexical tokens in a document: the parser gives up past it. */
  readonly maxTokens: number;
  /** Bytes of a request body. */
  readonly maxBodyBytes: number;
}

export type CacheTier = 'short' | 'medium' | 'long' | 'veryLong' | 'day' | 'week' | 'month';

export interface CacheConfig {
  /** `off` turns every result cache off (entities, lists, responses); persisted queries stay. */
  readonly mode: 'on' | 'off';
  /** Absent: the in-process cache. Several comma-separated URLs with `cluster`: a Redis Cluster. */
  readonly redisUrls: readonly string[];
  readonly cluster: boolean;
  /** A Redis command slower than this counts as a failure (the cache is skipped, never waited on). */
  readonly commandTimeoutMs: number;
  /** How long a request waits for another's load of a cold key (the stampede lease) before loading it itself. */
  readonly leaseWaitMs: number;
  /** The in-process cache's bound. */
  readonly memoryMaxBytes: number;
  /** Seconds per tier where configuration overrides the default. */
  readonly tierSeconds: Readonly<Partial<Record<CacheTier, number>>>;
}

/** The environment variable that overrides each tier's TTL, e.g. CACHE_TTL_SHORT_S=30. */
export const TIER_VARIABLES: Readonly<Record<CacheTier, string>> = {
  short: 'CACHE_TTL_SHORT_S',
  medium: 'CACHE_TTL_MEDIUM_S',
  long: 'CACHE_TTL_LONG_S',
  veryLong: 'CACHE_TTL_VERY_LONG_S',
  day: 'CACHE_TTL_DAY_S',
  week: 'CACHE_TTL_WEEK_S',
  month: 'CACHE_TTL_MONTH_S',
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIN_SECRET_LENGTH = 32;

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') as NodeEnv;
  const production = nodeEnv === 'production';
  const jwtSecret = read.optional('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < MIN_SECRET_LENGTH) {
    problems.push(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  if (production && jwtSecret === undefined) problems.push('JWT_SECRET is required when NODE_ENV=production');

  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  if (production && databaseUrl === undefined) problems.push('DATABASE_URL is required when NODE_ENV=production');

  const config: Config = {
    nodeEnv,
    host: read.optional('HOST') ?? '127.0.0.1',
    port: read.integer('PORT', 4000, 0, 65535),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    slowQueryMs: read.integer('SLOW_QUERY_MS', 100, 0, 3_600_000),
    logSql: read.boolean('LOG_SQL', false),
    jwtSecret,
    database: {
      url: databaseUrl,
      pgliteDataDir: read.optional('PGLITE_DATA_DIR') ?? '.data/pglite',
      poolSize: read.integer('DB_POOL_SIZE', 20, 1, 1000),
      connectionTimeoutMs: read.integer('DB_CONNECTION_TIMEOUT_MS', 30_000, 1, 600_000),
      statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 10_000, 1, 3_600_000),
      maxLifetimeSeconds: read.integer('DB_MAX_LIFETIME_S', 3_600, 1, 86_400),
      ssl: read.boolean('DB_SSL', production),
    },
    cache: {
      mode: read.oneOf('CACHE_MODE', ['on', 'off'], 'on') as 'on' | 'off',
      redisUrls: read.urlList('REDIS_URL', ['redis:', 'rediss:']),
      cluster: read.boolean('REDIS_CLUSTER', false),
      commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 250, 1, 60_000),
      leaseWaitMs: read.integer('CACHE_LEASE_WAIT_MS', 300, 0, 60_000),
      memoryMaxBytes: read.integer('CACHE_MEMORY_MAX_MB', 256, 1, 65_536) * 1024 * 1024,
      tierSeconds: Object.fromEntries(
        Object.entries(TIER_VARIABLES).flatMap(([tier, variable]) =>
          read.optional(variable) === undefined ? [] : [[tier, read.integer(variable, 0, 1, 31_536_000)]],
        ),
      ),
    },
    limits: {
      maxDepth: read.integer('QUERY_MAX_DEPTH', 12, 1, 1_000),
      maxAliases: read.integer('QUERY_MAX_ALIASES', 30, 0, 100_000),
      // The task tree (W3) costs about 1,100, W4 about 500; 10,000 storyboards with their media do not fit.
      maxCost: read.integer('QUERY_MAX_COST', 20_000, 1, 1_000_000_000),
      maxTokens: read.integer('QUERY_MAX_TOKENS', 5_000, 100, 10_000_000),
      maxBodyBytes: read.integer('BODY_LIMIT_BYTES', 1_048_576, 1_024, 1_073_741_824),
    },
    trustedDocuments: read.optional('TRUSTED_DOCUMENTS'),
    databaseGate: {
      // The performance guide's semaphore of 50 concurrent database operations.
      maxConcurrent: read.integer('DB_MAX_CONCURRENT', 50, 1, 10_000),
      queueTimeoutMs: read.integer('DB_QUEUE_TIMEOUT_MS', 1_000, 1, 600_000),
    },
    rateLimit: {
      // Sized in the README's Resilience section: above what the benchmark's busiest viewer spends.
      points: read.integer('RATE_LIMIT_POINTS', 1_000_000, 1, 1_000_000_000),
      anonymousPoints: read.integer('RATE_LIMIT_ANONYMOUS_POINTS', 10_000, 1, 1_000_000_000),
      windowSeconds: read.integer('RATE_LIMIT_WINDOW_S', 60, 1, 86_400),
    },
    shutdown: {
      graceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 1, 600_000),
      // Production sits behind a load balancer that polls /readyz; locally, Ctrl-C should not wait.
      drainDelayMs: read.integer('SHUTDOWN_DRAIN_DELAY_MS', production ? 3_000 : 0, 0, 600_000),
    },
  };
  if (config.shutdown.drainDelayMs >= config.shutdown.graceMs) {
    problems.push('SHUTDOWN_DRAIN_DELAY_MS must be less than SHUTDOWN_GRACE_MS');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** Parses one variable at a time, recording a problem instead of throwing. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  oneOf(name: string, allowed: readonly string[], fallback: string): string {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw;
  }

  /** One URL, or several separated by commas (the seed nodes of a Redis Cluster). */
  urlList(name: string, protocols: readonly string[]): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    const urls = raw.split(',').map((part) => this.url(name, protocols, part.trim()));
    return urls.every((url) => url !== undefined) ? (urls as string[]) : [];
  }

  url(name: string, protocols: readonly string[], value?: string): string | undefined {
    const raw = value ?? this.optional(name);
    if (raw === undefined) return undefined;
    let protocol: string;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      this.problems.push(`${name} is not a valid URL`);
      return undefined;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
    return raw;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
