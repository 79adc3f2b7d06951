import { cacheNamespace } from '../cache/namespace.js';

// The user's row and configuration: the very long tier (no API writes it).
export const userCache = cacheNamespace({ name: 'users', version: 1, tier: 'veryLong' });
export const userFence = 'user';
