import { resolveJwtSecret } from '../auth/dev-secret.js';
import { createTokenIssuer } from '../auth/tokens.js';
import { loadConfig } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { SqlTracker } from '../db/sql-tracker.js';
import { findUserByEmail } from '../users/user.repository.js';

/** `npm run token -- <email> [lifetime]` prints a bearer token for that user (30 days unless given, e.g. 2h). */
const [email, lifetime] = process.argv.slice(2);
if (!email) {
  console.error('Usage: npm run token -- <email> [lifetime, e.g. 2h or 30d]');
  process.exit(2);
}

const config = loadConfig(process.env);
const database = await connectDatabase(config.database, { tracker: new SqlTracker() });
try {
  const user = await findUserByEmail(database.db, email);
  if (!user) {
    console.error(`No user has the email ${email}`);
    process.exitCode = 1;
  } else {
    const tokens = createTokenIssuer(await resolveJwtSecret(config));
    console.log(await tokens.sign(user.id, lifetime));
  }
} finally {
  await database.close();
}
