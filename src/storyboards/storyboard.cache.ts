import { cacheNamespace } from '../cache/namespace.js';

// Storyboards change only when their media are set: the long tier.
export const storyboardCache = cacheNamespace({ name: 'storyboards', version: 1, tier: 'long', staleWhileRevalidate: true });
