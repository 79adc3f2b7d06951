import type { Generated, Selectable } from 'kysely';
import type { CreatedAt } from '../db/columns.js';

export interface StoryboardsTable {
  id: Generated<string>;
  taskId: string;
  sequenceNumber: number;
  description: string;
  prompt: string;
  durationSeconds: number;
  firstFrameImageId: string | null;
  videoId: string | null;
  createdAt: CreatedAt;
}

export type StoryboardRow = Selectable<StoryboardsTable>;
