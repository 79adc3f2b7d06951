/**
 * npm run explain -- <operation.graphql> [--variables <json>] [--as <email>] [--operation <name>] [--json]
 *
 * Runs the operation once through the real server (auth, context, loaders) as
 * the given user (the demo user unless --as), then prints the plan of every
 * SQL statement it sent: time, rows, indexes, buffers, and a flag on each
 * sequential scan of a large table. Exit code 1 when the operation errors.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { explainOperation, type ExplainReport } from '../explain/explain.js';
import { formatReport } from '../explain/report.js';
import { DEMO_USER } from '../../src/seed/scale.js';
import { UsageError, runCommand } from './run-command.js';

const USAGE = 'Usage: npm run explain -- <operation.graphql> [--variables <json>] [--as <email>] [--operation <name>] [--json]';


async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      variables: { type: 'string' },
      as: { type: 'string', default: DEMO_USER.email },
      operation: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('Give exactly one operation file');
  const variables = parseVariables(values.variables);
  const query = await readFile(positionals[0]!, 'utf8');

  const config = loadConfig(process.env);
  const tracker = new SqlTracker();
  const database = await openDatabase(config, tracker, pino({ level: 'warn' }));
  try {
    const report = await explainOperation(
      { config, database, tracker },
      { query, variables, operationName: values.operation, asEmail: values.as },
    );
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return printErrors(report);
  } finally {
    await database.close();
  }
}

function parseVariables(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--variables must be JSON, e.g. \'{"id":"..."}\'');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--variables must be a JSON object');
  return value as Record<string, unknown>;
}

/** The operation's own errors, on stderr; the exit code says whether there were any. */
function printErrors(report: ExplainReport): number {
  for (const error of report.operation.errors) {
    const path = error.path ? ` at ${error.path.join('.')}` : '';
    console.error(`error${path}: [${String(error.extensions?.code ?? 'no code')}] ${error.message}`);
  }
  return report.operation.errors.length > 0 || report.operation.status >= 400 ? 1 : 0;
}

runCommand('explain', USAGE, main);
