import { parse, type OperationTypeNode } from 'graphql';
import { Scope } from '../../src/auth/scopes.js';
import type { Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { SqlTracker } from '../../src/db/sql-tracker.js';
import { createCache } from '../../src/cache/create-cache.js';
import { startToolServer } from '../tool-server.js';
import { findUserByEmail } from '../../src/users/user.repository.js';
import { captureOperation, type CapturedOperation, type OperationRequest } from './capture.js';
import { summarisePlan, totalise, type ExplainJson, type PlanSummary, type Totals } from './plan.js';
import { explainStatement } from './replay.js';

export interface ExplainDeps {
  readonly config: Config;
  /** Its Kysely instance must log to `tracker` (connectDatabase does). */
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
}

export interface ExplainOptions extends OperationRequest {
  /** The viewer the operation runs as. */
  readonly asEmail: string;
}

export interface ExplainedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  /** As the operation ran it (the replay's time is `summary.executionMs`). */
  readonly durationMs: number;
  readonly plan?: ExplainJson;
  readonly summary?: PlanSummary;
  /** Why there is no plan. */
  readonly error?: string;
}

export interface ExplainReport {
  readonly asEmail: string;
  readonly database: DatabaseHandle['kind'];
  /** The operation as the document names it; undefined when it does not parse (the server says why). */
  readonly operationName: string | undefined;
  readonly operationType: OperationTypeNode | undefined;
  readonly operation: Omit<CapturedOperation, 'statements'>;
  readonly statements: readonly ExplainedStatement[];
  readonly totals: Totals;
}

/**
 * Runs one GraphQL operation through the real server as the given user, then
 * explains every SQL statement it sent (see replay.ts: each in a rolled-back
 * transaction). The operation itself runs for real once: a mutation's own
 * effects do persist, as they would for a client.
 */
export async function explainOperation(deps: ExplainDeps, options: ExplainOptions): Promise<ExplainReport> {
  const user = await findUserByEmail(deps.database.db, options.asEmail);
  if (!user) throw new Error(`No user has the email ${options.asEmail}: seed the database or pass --as <email>`);

  // The cache is off: every statement the operation needs is sent, and explained.
  const cache = createCache({ ...deps.config.cache, mode: 'off', redisUrls: [] });
  const tool = await startToolServer({ ...deps, cache });
  let captured: CapturedOperation;
  try {
    // An agent token: the operator explains any operation, the agent's writes (status, scripts, media) too.
    captured = await captureOperation(tool.server, deps.tracker, await tool.tokenFor(user.id, [Scope.AGENT]), options);
  } finally {
    await tool.close();
    await cache.close();
  }

  const statements: ExplainedStatement[] = [];
  for (const event of captured.statements) {
    const replay = await explainStatement(deps.database.db, event.sql, event.parameters);
    const base = { sql: event.sql, parameters: event.parameters, durationMs: event.durationMs };
    statements.push('plan' in replay ? { ...base, plan: replay.plan, summary: summarisePlan(replay.plan) } : { ...base, error: replay.error });
  }
  const { status, data, errors, durationMs } = captured;
  return {
    asEmail: options.asEmail,
    database: deps.database.kind,
    ...describeOperation(options),
    operation: { status, data, errors, durationMs },
    statements,
    totals: totalise(statements.map((statement) => statement.summary)),
  };
}

function describeOperation({ query, operationName }: OperationRequest): Pick<ExplainReport, 'operationName' | 'operationType'> {
  try {
    const operations = parse(query).definitions.filter((d) => d.kind === 'OperationDefinition');
    const chosen = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    return { operationName: chosen?.name?.value ?? operationName, operationType: chosen?.operation };
  } catch {
    return { operationName, operationType: undefined };
  }
}
