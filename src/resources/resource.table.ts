import type { Generated, Selectable } from 'kysely';
import type { BigIntColumn, CreatedAt } from '../db/columns.js';

// The database's labels under the names GraphQL gives them (registered in resource.type.ts).
export const ResourceKind = {
  IMAGE: 'image',
  VIDEO: 'video',
  AUDIO: 'audio',
} as const;
export type ResourceKind = (typeof ResourceKind)[keyof typeof ResourceKind];

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
