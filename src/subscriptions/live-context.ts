import type { Viewer } from '../auth/viewer.js';
import type { Cache } from '../cache/cache.js';
import type { Config } from '../config.js';
import { Context } from '../context.js';
import type { Db } from '../db/database.js';
import type { FastifyBaseLogger } from 'fastify';
import type { LiveHub, LiveSession } from './live-hub.js';

/**
 * The context of a subscription operation: the request context every resolver
 * knows (viewer, loaders over the viewer-scoped cache), plus the socket it
 * runs on and the hub its stream comes from.
 */
export class LiveContext extends Context {
  constructor(
    operationId: string,
    viewer: Viewer,
    db: Db,
    log: FastifyBaseLogger,
    cache: Cache,
    config: Config,
    readonly hub: LiveHub,
    readonly session: LiveSession,
  ) {
    super(operationId, viewer, db, log, cache, config.resourceUrls, config.idempotencyKeyTtlSeconds);
  }
}
