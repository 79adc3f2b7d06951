import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { connectionSelection, fieldsUnder, type SelectedFields } from '../execution/look-ahead.js';
import { RESOURCE_COLUMNS, resourceColumnsFor } from '../resources/resource.repository.js';

/**
 * What a page of storyboards reads: the storyboards' columns, and each
 * medium's (null: not joined at all). Reading only what the query asks for
 * is most of a task tree's cost: 200 storyboards with both media are ~5,800
 * values for pg to decode, where the anchor tree asks for ~1,600 (server CPU
 * per W3 request 7.3-9.2 ms with every column, 5.4-5.6 ms with these).
 */
export interface StoryboardProjection {
  readonly columns: readonly string[];
  readonly image: readonly string[] | null;
  readonly video: readonly string[] | null;
}

/** Every column of a storyboard, in one order. */
export const STORYBOARD_COLUMNS = [
  'id',
  'task_id',
  'sequence_number',
  'description',
  'prompt',
  'duration_seconds',
  'first_frame_image_id',
  'video_id',
  'created_at',
] as const;

/** Read for every page, whatever is asked: the page's order and cursor, and its parent. */
const ALWAYS = ['id', 'task_id', 'sequence_number'];

/**
 * The columns each Storyboard field reads. A field missing here (one added to
 * the type later) makes the page read every column: too much, never too little.
 */
const STORYBOARD_FIELD_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  id: ['id'],
  sequenceNumber: ['sequence_number'],
  description: ['description'],
  prompt: ['prompt'],
  durationSeconds: ['duration_seconds'],
  createdAt: ['created_at'],
  task: ['task_id'],
  firstFrameImage: ['first_frame_image_id'],
  video: ['video_id'],
  // src/subscriptions/topics.ts: storyboardVersion.
  version: ['created_at', 'id', 'first_frame_image_id', 'video_id'],
  __typename: [],
};

const projectionKeys = new WeakMap<StoryboardProjection, string>();

/** The projection in a few characters, for cache keys: `id,task_id,sequence_number;image=id,url;video=-`. Made once per projection. */
export function projectionKey(projection: StoryboardProjection): string {
  let key = projectionKeys.get(projection);
  if (key === undefined) {
    const medium = (columns: readonly string[] | null) => (columns ? columns.join(',') : '-');
    key = `${projection.columns.join(',')};image=${medium(projection.image)};video=${medium(projection.video)}`;
    projectionKeys.set(projection, key);
  }
  return key;
}

/** Everything: for a caller that cannot say what it needs. */
export const FULL_STORYBOARD_PROJECTION: StoryboardProjection = { columns: STORYBOARD_COLUMNS, image: RESOURCE_COLUMNS, video: RESOURCE_COLUMNS };

/** The projection of the fields asked for on the storyboards themselves. */
export function projectionOf(storyboard: SelectedFields, fragments: GraphQLResolveInfo['fragments']): StoryboardProjection {
  const needed = new Set(ALWAYS);
  for (const field of storyboard.keys()) {
    const columns = STORYBOARD_FIELD_COLUMNS[field];
    if (columns === undefined) return FULL_STORYBOARD_PROJECTION;
    for (const column of columns) needed.add(column);
  }
  const medium = (field: string) => (storyboard.has(field) ? resourceColumnsFor(fieldsUnder(storyboard, field, fragments).keys()) : null);
  return { columns: STORYBOARD_COLUMNS.filter((column) => needed.has(column)), image: medium('firstFrameImage'), video: medium('video') };
}

// One document asks the same thing every time it runs: a field node that is the
// field's only one is the key (a node merged with others is worked out each time).
const projections = new WeakMap<FieldNode, StoryboardProjection>();

/**
 * What a `storyboards` connection field (the one `info` resolves) asks of its
 * storyboards, under `nodes` and `edges { node }`.
 */
export function storyboardProjection(info: GraphQLResolveInfo): StoryboardProjection {
  const only = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const known = only && projections.get(only);
  if (known) return known;
  const projection = projectionOf(connectionSelection(info).nodeFields, info.fragments);
  if (only) projections.set(only, projection);
  return projection;
}
