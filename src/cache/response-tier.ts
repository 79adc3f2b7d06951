import { cacheNamespace } from './namespace.js';

/**
 * Whole GraphQL responses of queries, per viewer: the API-response tier.
 * Declared here, below both caches: the response cache stores under it
 * (src/response-cache/), and the entity cache caps a response's policy at
 * its TTL (./request-cache.ts) without importing the response cache.
 */
export const responseCacheNamespace = cacheNamespace({ name: 'api', version: 1, tier: 'medium' });
