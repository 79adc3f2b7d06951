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
  /** Absent outside production: a per-checkout secret under the data folder is used. */
  readonly jwtSecret: string | undefined;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
}

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
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
  };

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

  url(name: string, protocols: readonly string[]): string | undefined {
    const raw = this.optional(name);
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
