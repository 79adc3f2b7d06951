import { cacheNamespace } from '../cache/namespace.js';

// A script version is written once and never edited: the long tier, served
// stale while one request refreshes it.
export const scriptCache = cacheNamespace({ name: 'scripts', version: 1, tier: 'long', staleWhileRevalidate: true });
// The full text, read only when asked for, under its own keys.
export const scriptContentCache = cacheNamespace({ name: 'script-contents', version: 1, tier: 'long', staleWhileRevalidate: true });
