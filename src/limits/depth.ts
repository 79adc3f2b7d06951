import { Kind, type SelectionSetNode } from 'graphql';

/**
 * How deep an operation's fields nest, fragments followed: `{ viewer { id } }`
 * is 2, the task tree (W3) 6. The schema's cycles (task -> storyboards -> task
 * ...) would otherwise let one request walk the same rows again and again.
 * Refused past QUERY_MAX_DEPTH by ./document-limits.ts.
 */
export function selectionDepth(selectionSet: SelectionSetNode, spread: (fragment: string) => number): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection is not counted: Sandbox's schema query nests type references ten deep.
      if (selection.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet, spread) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, spread));
    } else {
      deepest = Math.max(deepest, spread(selection.name.value));
    }
  }
  return deepest;
}
