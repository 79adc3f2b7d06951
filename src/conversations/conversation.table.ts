import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../db/columns.js';

export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';

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
