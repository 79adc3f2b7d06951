import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../db/columns.js';
import type { TimestampText } from '../db/timestamps.js';

// The database's labels under the names GraphQL gives them (registered in conversation.type.ts).
export const MessageRole = {
  USER: 'user',
  ASSISTANT: 'assistant',
  SYSTEM: 'system',
  TOOL: 'tool',
} as const;
export type MessageRole = (typeof MessageRole)[keyof typeof MessageRole];

export interface ConversationsTable {
  id: Generated<string>;
  userId: string;
  taskId: string | null;
  title: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface MessagesTable {
  id: Generated<string>;
  conversationId: string;
  role: MessageRole;
  content: string;
  createdAt: CreatedAt;
}

export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
/**
 * A message as a page of messages reads it: its instant as PostgreSQL's text,
 * moved to the wire as it is, and its id only when the page was asked for ids
 * or cursors (src/conversations/conversation.connection.ts).
 */
export type MessagePageRow = Omit<MessageRow, 'createdAt' | 'id'> & { readonly createdAt: TimestampText; readonly id?: string };
