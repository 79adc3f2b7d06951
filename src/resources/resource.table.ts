import type { Generated, Selectable } from 'kysely';
import type { BigIntColumn, CreatedAt } from '../db/columns.js';

export type ResourceKind = 'image' | 'video' | 'audio';

export interface ResourcesTable {
  id: Generated<string>;
  taskId: string;
  kind: ResourceKind;
  url: string;
  mimeType: string;
  sizeBytes: BigIntColumn | null;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  createdAt: CreatedAt;
}

export type ResourceRow = Selectable<ResourcesTable>;
