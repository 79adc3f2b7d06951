import { DEFAULT_LEASE_WAIT_MS } from './cache/cache.js';
import type { CacheTier } from './cache/tiers.js';
import { isNonPublicHost, type UrlPolicyConfig } from './url-policy.js';

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

/** Read replicas (src/db/replicas/); without URLs every statement goes to DATABASE_URL. */
export interface ReplicasConfig {
  /** DATABASE_REPLICA_URLS: streaming replicas of DATABASE_URL, pooled with its settings. */
  readonly urls: readonly string[];
  /** A replica further behind than this leaves rotation until it catches up (REPLICA_MAX_LAG_MS). */
  readonly maxLagMs: number;
  /** How often each replica's replayed position is polled (REPLICA_POLL_MS). */
  readonly pollMs: number;
  /** How long a viewer's write position is kept: their reads need a replica past it meanwhile (READ_YOUR_WRITES_TTL_S). */
  readonly readYourWritesTtlMs: number;
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
  readonly replicas: ReplicasConfig;
  readonly cache: CacheConfig;
  readonly limits: LimitsConfig;
  readonly persistedQueries: PersistedQueriesConfig;
  /** The path of a trusted-documents manifest: only its operations run (src/trusted-documents/). Absent: any document. */
  readonly trustedDocuments: string | undefined;
  readonly databaseGate: DatabaseGateConfig;
  readonly rateLimit: RateLimitConfig;
  readonly shutdown: ShutdownConfig;
  /** How long an idempotency key of createTasks answers its first call; past it, the key is free again and swept. */
  readonly idempotencyKeyTtlSeconds: number;
  /** Which resource URLs are stored (src/url-policy.ts): https: to public hosts, plus object stores named here. */
  readonly resourceUrls: UrlPolicyConfig;
  readonly http: HttpConfig;
  readonly metrics: MetricsConfig;
  /** GRAPHQL_EXECUTOR: graphql-jit's compiled queries (graphql-js where it cannot compile), or graphql-js alone. */
  readonly graphqlExecutor: 'jit' | 'graphql-js';
  /** Live updates over graphql-ws (src/subscriptions/). */
  readonly subscriptions: SubscriptionsConfig;
}

/** How long the HTTP server waits on a client (Fastify's options of the same names). */
export interface HttpConfig {
  /** From a request's first byte to its last: a body sent a byte a minute is answered 408 past it. */
  readonly requestTimeoutMs: number;
  /** A socket silent this long is closed (a connection that never finishes its headers). */
  readonly connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly keepAliveTimeoutMs: number;
}

/** Who may read GET /metrics (src/observability/metrics-endpoint.ts). */
export interface MetricsConfig {
  /** On the API's own listener: to anyone, to `Authorization: Bearer <token>` only, or not at all (404). */
  readonly onMainListener: 'public' | 'bearer' | 'off';
  /** What `bearer` compares against. */
  readonly token: string | undefined;
  /** A listener of its own that serves only GET /metrics, to anyone who can reach it; absent: none. */
  readonly listener: { readonly host: string; readonly port: number } | undefined;
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
  /** KiB of persisted-query documents (stripped) one viewer may register per hour (src/cache/persisted-queries.ts). */
  readonly registrationKibPerHour: number;
  /** Expensive requests (large bodies, a heavy sender's) one sender may have in flight in this process (src/resilience/rate-limit-hook.ts). */
  readonly expensiveInFlight: number;
}

/** RATE_LIMIT_EXPENSIVE_IN_FLIGHT's default: the batch client's default concurrency fits it (tools/batch/args.ts). */
export const DEFAULT_EXPENSIVE_IN_FLIGHT = 2;

/** Live updates (src/subscriptions/): what one client may hold, and how far behind it may fall. */
export interface SubscriptionsConfig {
  readonly maxPerConnection: number;
  /** On this instance, across the viewer's sockets. */
  readonly maxPerViewer: number;
  /** Cost units a subscribe takes from the viewer's rate-limit budget (RATE_LIMIT_POINTS). */
  readonly subscribeCost: number;
  /** Events one subscription may hold unsent; past it the socket is closed (4413). */
  readonly bufferEvents: number;
  /** Rows a `since` replays at most. */
  readonly replayMax: number;
  /** The largest message a client may send, bytes. */
  readonly maxMessageBytes: number;
  /** A socket that has not sent connection_init by then is closed (4408). */
  readonly initTimeoutMs: number;
  /** Ping interval; a socket that does not pong within it is terminated. */
  readonly keepAliveMs: number;
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
  /** Bytes of large values (script contents, messages, options) one response may carry (src/limits/response-budget.ts). */
  readonly maxResponseBytes: number;
  /** Fields, inline fragments and fragment spreads written in a document, fragments' included (src/limits/document-limits.ts). */
  readonly maxSelections: number;
  /** Fragment definitions in a document. */
  readonly maxFragments: number;
  /** A request's variables, checked before anything else reads them (src/limits/variables.ts). */
  readonly variables: VariablesLimits;
}

export interface VariablesLimits {
  /** Bytes of the variables as JSON. */
  readonly maxBytes: number;
  /** Nesting of objects and lists; the variables object itself is 1. */
  readonly maxDepth: number;
  /** Object keys and list items, at every level. */
  readonly maxValues: number;
}

/** Automatic persisted queries (src/cache/persisted-queries.ts): who may register, and what they may keep. */
export interface PersistedQueriesConfig {
  /** A document larger than this once stripped of comments and whitespace runs but is not registered. */
  readonly maxDocumentBytes: number;
  /** Bound of the in-process store of documents (without Redis): an LRU of its own. */
  readonly memoryMaxBytes: number;
}

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
  /** Bytes of entries and responses one viewer may store per minute (src/cache/write-quota.ts); absent, unbounded. */
  readonly viewerWriteQuotaBytes?: number | undefined;
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
    replicas: {
      urls: read.urlList('DATABASE_REPLICA_URLS', ['postgres:', 'postgresql:']),
      maxLagMs: read.integer('REPLICA_MAX_LAG_MS', 5_000, 100, 3_600_000),
      pollMs: read.integer('REPLICA_POLL_MS', 250, 10, 60_000),
      readYourWritesTtlMs: read.integer('READ_YOUR_WRITES_TTL_S', 30, 1, 86_400) * 1000,
    },
    cache: {
      mode: read.oneOf('CACHE_MODE', ['on', 'off'], 'on') as 'on' | 'off',
      redisUrls: read.urlList('REDIS_URL', ['redis:', 'rediss:']),
      cluster: read.boolean('REDIS_CLUSTER', false),
      commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 250, 1, 60_000),
      leaseWaitMs: read.integer('CACHE_LEASE_WAIT_MS', DEFAULT_LEASE_WAIT_MS, 0, 60_000),
      memoryMaxBytes: read.integer('CACHE_MEMORY_MAX_MB', 256, 1, 65_536) * 1024 * 1024,
      viewerWriteQuotaBytes: read.integer('CACHE_VIEWER_QUOTA_KB', 2_048, 1, 16_777_216) * 1024,
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
      // 80 scripts at their maximum, or 100 tasks' options at theirs; the process holds it twice while it answers.
      maxResponseBytes: read.integer('RESPONSE_MAX_BYTES', 8 * 1_048_576, 1_024, 1_073_741_824),
      // graphql-js validates 150 selections in a few ms at worst (tests/integration/abuse-documents.test.ts); the largest real document has 87.
      maxSelections: read.integer('QUERY_MAX_SELECTIONS', 150, 1, 100_000),
      maxFragments: read.integer('QUERY_MAX_FRAGMENTS', 50, 0, 10_000),
      variables: {
        maxBytes: read.integer('VARIABLES_MAX_BYTES', 1_048_576, 1_024, 1_073_741_824),
        // JSON inputs may nest 32 deep (src/limits/json-input.ts), inside a list of inputs.
        maxDepth: read.integer('VARIABLES_MAX_DEPTH', 64, 2, 1_000),
        // createTasks' 500 inputs with ~40 values each.
        maxValues: read.integer('VARIABLES_MAX_VALUES', 20_000, 1, 10_000_000),
      },
    },
    persistedQueries: {
      maxDocumentBytes: read.integer('PERSISTED_QUERY_MAX_BYTES', 16_384, 256, 1_048_576),
      memoryMaxBytes: read.integer('PERSISTED_QUERY_MEMORY_MAX_MB', 16, 1, 65_536) * 1024 * 1024,
    },
    trustedDocuments: read.optional('TRUSTED_DOCUMENTS'),
    databaseGate: {
      // The performance guide's semaphore of 50 concurrent database operations.
      maxConcurrent: read.integer('DB_MAX_CONCURRENT', 50, 1, 10_000),
      queueTimeoutMs: read.integer('DB_QUEUE_TIMEOUT_MS', 1_000, 1, 600_000),
    },
    rateLimit: {
      // Sized in the README's Resilience section: above what the benchmark's busiest viewer spends.
      // Units are ~10 us of CPU: 10,000 a second is a tenth of a core per viewer, 1,000 a hundredth per anonymous IP (README, Resilience).
      points: read.integer('RATE_LIMIT_POINTS', 10_000, 1, 1_000_000_000),
      anonymousPoints: read.integer('RATE_LIMIT_ANONYMOUS_POINTS', 1_000, 1, 1_000_000_000),
      windowSeconds: read.integer('RATE_LIMIT_WINDOW_S', 1, 1, 86_400),
      registrationKibPerHour: read.integer('PERSISTED_QUERY_KIB_PER_HOUR', 256, 1, 1_000_000),
      expensiveInFlight: read.integer('RATE_LIMIT_EXPENSIVE_IN_FLIGHT', DEFAULT_EXPENSIVE_IN_FLIGHT, 1, 10_000),
    },
    http: {
      requestTimeoutMs: read.integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000),
      connectionTimeoutMs: read.integer('HTTP_CONNECTION_TIMEOUT_MS', 10_000, 1, 3_600_000),
      // Above the 60 s idle timeout of common load balancers, so that they close first
      // and never send a request down a connection the server is closing (Fastify's default).
      keepAliveTimeoutMs: read.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 1, 3_600_000),
    },
    metrics: readMetricsConfig(read, production, problems),
    subscriptions: {
      maxPerConnection: read.integer('SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 100_000),
      maxPerViewer: read.integer('SUBSCRIPTIONS_PER_VIEWER', 1_000, 1, 1_000_000),
      subscribeCost: read.integer('SUBSCRIBE_COST_POINTS', 10, 0, 1_000_000),
      // Above the 500 rows of one batch mutation: its burst of events must fit while the socket drains.
      bufferEvents: read.integer('SUBSCRIPTION_BUFFER_EVENTS', 1_024, 1, 100_000),
      replayMax: read.integer('SUBSCRIPTION_REPLAY_MAX', 500, 1, 100_000),
      maxMessageBytes: read.integer('WS_MAX_MESSAGE_BYTES', 65_536, 1_024, 16_777_216),
      initTimeoutMs: read.integer('WS_INIT_TIMEOUT_MS', 3_000, 1, 600_000),
      keepAliveMs: read.integer('WS_KEEP_ALIVE_MS', 12_000, 0, 600_000),
    },
    shutdown: {
      graceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 1, 600_000),
      // Production sits behind a load balancer that polls /readyz; locally, Ctrl-C should not wait.
      drainDelayMs: read.integer('SHUTDOWN_DRAIN_DELAY_MS', production ? 3_000 : 0, 0, 600_000),
    },
    // A day covers a batch client's retries across a night's outage; at most 30 days.
    idempotencyKeyTtlSeconds: read.integer('IDEMPOTENCY_KEY_TTL_S', 86_400, 1, 2_592_000),
    graphqlExecutor: read.oneOf('GRAPHQL_EXECUTOR', ['jit', 'graphql-js'], 'jit') as 'jit' | 'graphql-js',
    resourceUrls: readResourceUrlConfig(read, problems),
  };
  if (config.shutdown.drainDelayMs >= config.shutdown.graceMs) {
    problems.push('SHUTDOWN_DRAIN_DELAY_MS must be less than SHUTDOWN_GRACE_MS');
  }
  // ioredis connects every node of a cluster with one user, password and TLS setting.
  const credentialsOf = (url: URL) => `${url.protocol}${url.username}:${url.password}`;
  if (config.cache.cluster && new Set(config.cache.redisUrls.map((url) => credentialsOf(new URL(url)))).size > 1) {
    problems.push('REDIS_URL: the nodes of a cluster must share one scheme, user and password');
  }

  if (config.metrics.listener?.port === config.port && config.port !== 0) problems.push('METRICS_PORT must differ from PORT');
  if (config.replicas.urls.length > 0 && databaseUrl === undefined) problems.push('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary)');
  // A position must outlive the lag a replica in rotation may have, else a write
  // older than the bound but younger than the lag could be read from it.
  if (config.replicas.readYourWritesTtlMs <= config.replicas.maxLagMs + config.replicas.pollMs) {
    problems.push('READ_YOUR_WRITES_TTL_S must be longer than REPLICA_MAX_LAG_MS plus REPLICA_POLL_MS');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** A bearer token shorter than this is guessable. */
const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * Metrics tell a stranger the operation names, the load and the error rate:
 * production serves them on the main listener only behind METRICS_TOKEN, and
 * METRICS_PORT moves them to a listener of their own (loopback by default).
 */
function readMetricsConfig(read: EnvReader, production: boolean, problems: string[]): MetricsConfig {
  const token = read.optional('METRICS_TOKEN');
  if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) problems.push(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long`);
  const host = read.optional('METRICS_HOST');
  const port = read.optional('METRICS_PORT') === undefined ? undefined : read.integer('METRICS_PORT', 0, 0, 65535);
  if (host !== undefined && port === undefined) problems.push('METRICS_HOST needs METRICS_PORT');
  const listener = port === undefined ? undefined : { host: host ?? '127.0.0.1', port };
  const onMainListener = token !== undefined ? 'bearer' : production || listener !== undefined ? 'off' : 'public';
  return { onMainListener, token, listener };
}

/**
 * RESOURCE_URL_SCHEMES=s3,gs and RESOURCE_URL_HOSTS=media-bucket: object-store
 * URLs are accepted towards the listed hosts only, so that an extra scheme
 * does not open every bucket (`s3://internal/...`) to whoever holds a token.
 */
function readResourceUrlConfig(read: EnvReader, problems: string[]): UrlPolicyConfig {
  const schemes = read.list('RESOURCE_URL_SCHEMES').map((scheme) => scheme.toLowerCase().replace(/:$/, ''));
  for (const scheme of schemes) {
    if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) problems.push(`RESOURCE_URL_SCHEMES: "${scheme}" is not a URL scheme`);
  }
  const hosts = read.list('RESOURCE_URL_HOSTS').map((host) => host.toLowerCase());
  for (const host of hosts) {
    if (isNonPublicHost(host)) problems.push(`RESOURCE_URL_HOSTS: "${host}" is a local or private address`);
    else if (!/^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/.test(host)) problems.push(`RESOURCE_URL_HOSTS: "${host}" is not a host name`);
  }
  if (schemes.length > 0 && hosts.length === 0) problems.push('RESOURCE_URL_SCHEMES needs RESOURCE_URL_HOSTS: the object stores those schemes may name');
  return { extraSchemes: schemes.map((scheme) => `${scheme}:`), hosts };
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

  /** Comma-separated values, blanks dropped; absent: none. */
  list(name: string): string[] {
    return (this.optional(name) ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
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
