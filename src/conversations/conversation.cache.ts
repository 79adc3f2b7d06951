import { cacheNamespace } from '../cache/namespace.js';

// Conversation sessions: the long tier; every posted message moves their fence.
export const conversationCache = cacheNamespace({ name: 'conversations', version: 1, tier: 'long' });
// Version 2: pages hold created_at as PostgreSQL's text (MessagePageRow), no longer a Date.
export const messageCache = cacheNamespace({ name: 'messages', version: 2, tier: 'long' });
// The list of a user's conversations: the list tier.
export const conversationListCache = cacheNamespace({ name: 'conversation-lists', version: 1, tier: 'medium' });

export const conversationFences = {
  /** One conversation's row and its messages. */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  /** The user's list of conversations. */
  lists: 'conversations',
};
