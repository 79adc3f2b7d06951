import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../../src/auth/dev-secret.js';
import { Scope } from '../../src/auth/scopes.js';
import { createTokenIssuer } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { findUserByEmail } from '../../src/users/user.repository.js';

/**
 * `npm run token -- <email> [lifetime] [--scope agent]` prints a bearer token
 * for that user: a user token (what a frontend holds), or with `--scope agent`
 * one that may also write what the agent writes. 30 days unless a lifetime is
 * given, as the second word or `--lifetime` (e.g. 2h).
 */
const USAGE = 'Usage: npm run token -- <email> [lifetime, e.g. 2h or 30d] [--lifetime <lifetime>] [--scope agent]';
const SCOPES: readonly string[] = Object.values(Scope);

function parseCommandLine() {
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { scope: { type: 'string', multiple: true }, lifetime: { type: 'string' } },
    });
    const [email, lifetime, ...rest] = positionals;
    const scopes = values.scope ?? [];
    const unknown = scopes.find((scope) => !SCOPES.includes(scope));
    if (!email || rest.length > 0 || (lifetime !== undefined && values.lifetime !== undefined)) return undefined;
    if (unknown !== undefined) throw new Error(`unknown scope "${unknown}" (known: ${SCOPES.join(', ')})`);
    return { email, lifetime: values.lifetime ?? lifetime, scopes: scopes as Scope[] };
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

const command = parseCommandLine();
if (!command) {
  console.error(USAGE);
  process.exit(2);
}

const config = loadConfig(process.env);
const database = await connectDatabase(config.database, { tracker: new SqlTracker() });
try {
  const user = await findUserByEmail(database.db, command.email);
  if (!user) {
    console.error(`No user has the email ${command.email}`);
    process.exitCode = 1;
  } else {
    const tokens = createTokenIssuer(await resolveJwtSecret(config));
    console.log(await tokens.sign(user.id, command.lifetime, command.scopes));
  }
} finally {
  await database.close();
}
