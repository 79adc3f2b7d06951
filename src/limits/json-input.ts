import { badInput } from '../errors.js';

/** How deep a JSON argument (`options`) may nest: settings are a few levels; canonicalJson and the caches recurse. */
export const JSON_INPUT_MAX_DEPTH = 32;

/**
 * Refuses a JSON argument nested deeper than JSON_INPUT_MAX_DEPTH (the object
 * itself is 1) or larger than `maxBytes` as JSON, with BAD_USER_INPUT naming
 * the argument. Depth first and without recursion: a value nested thousands
 * deep would overflow JSON.stringify and every recursive reader after it.
 */
export function assertJsonInput(argument: string, value: unknown, maxBytes: number): void {
  const depth = jsonDepth(value, JSON_INPUT_MAX_DEPTH);
  if (depth > JSON_INPUT_MAX_DEPTH) {
    throw badInput(`${argument} may nest at most ${JSON_INPUT_MAX_DEPTH} levels deep`, { argument, maxDepth: JSON_INPUT_MAX_DEPTH });
  }
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > maxBytes) throw badInput(`${argument} may be at most ${maxBytes} bytes of JSON, got ${bytes}`, { argument, bytes, maxBytes });
}

/** The nesting of objects and lists in `value`, counted up to one past `stopAfter`. */
function jsonDepth(value: unknown, stopAfter: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAfter) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}
