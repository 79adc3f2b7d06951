import type { Generated, Selectable } from 'kysely';
import type { CreatedAt } from '../db/columns.js';

export interface ScriptsTable {
  id: Generated<string>;
  taskId: string;
  version: number;
  title: string;
  content: string;
  createdAt: CreatedAt;
}

export type ScriptRow = Selectable<ScriptsTable>;
