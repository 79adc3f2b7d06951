import { isIP } from 'node:net';
import type { Config } from '../config.js';

/**
 * Outside production the Sandbox page opens with the demo user's token already
 * in its Authorization header. That is a live 30-day token handed to whoever
 * opens the page, so it is embedded only where that can be nobody but the
 * developer at this machine: the embedded database (demo data, no DATABASE_URL)
 * and a listener on loopback. A server on 0.0.0.0, or on a real database whose
 * NODE_ENV was forgotten, embeds nothing and says how to get a token instead.
 */
export function mayEmbedDemoToken(config: Config): boolean {
  return config.nodeEnv !== 'production' && config.database.url === undefined && isLoopbackHost(config.host);
}

/** `localhost`, 127.0.0.0/8 or ::1; a wildcard (0.0.0.0, ::) listens on every interface. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return isIP(bare) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(bare);
}

export const HOW_TO_GET_A_TOKEN =
  'Sandbox opens without a token here (not the embedded database on loopback): run `npm run token -- <email>` and set the Authorization header to "Bearer <token>"';
