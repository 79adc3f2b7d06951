import { cacheNamespace } from '../cache/namespace.js';

// A rendered file's record never changes: the long tier.
export const resourceCache = cacheNamespace({ name: 'resources', version: 1, tier: 'long', staleWhileRevalidate: true });
