import { cacheNamespace } from '../cache/namespace.js';

// Status and progress move while the agent runs: the shortest tier.
export const taskCache = cacheNamespace({ name: 'tasks', version: 1, tier: 'short' });
// Options are written once, with the task; they go with the task's fence.
export const taskOptionsCache = cacheNamespace({ name: 'task-options', version: 1, tier: 'long', staleWhileRevalidate: true });
// A user's pages of tasks: the list tier.
export const taskListCache = cacheNamespace({ name: 'task-lists', version: 1, tier: 'medium' });

/**
 * The fences of the task aggregate (see cache/request-cache.ts): a write moves
 * the fences of what it changed, and every entry or response read under them
 * is retired.
 */
export const taskFences = {
  /** One task's own row. */
  task: (taskId: string) => `task:${taskId}`,
  /** The user's task lists: any created, deleted or re-statused task. */
  lists: 'tasks',
  /** What hangs under one task: its scripts, storyboards, resources and conversations. */
  content: (taskId: string) => `task-content:${taskId}`,
  /**
   * Scripts, storyboards and resources read by their own id: their task is not
   * known before the read, so they share one per-user fence, moved only by the
   * rare writes that change or remove existing ones (media set, task deleted).
   */
  children: 'task-children',
};

/** What a task's own row is cached under (taskById, taskOptionsById): read by the loaders, written through by the write path. */
export const taskRowFences = (taskId: string): readonly string[] => [taskFences.task(taskId)];
