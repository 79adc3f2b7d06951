import { Kind, type SelectionSetNode } from 'graphql';

/**
 * The aliases of an operation. Aliases let one small document run the same
 * field thousands of times (`a1: tasks ... a2: tasks ...`); a fragment counts
 * each time it is spread, so nesting fragments cannot multiply them unseen.
 * Refused past QUERY_MAX_ALIASES by ./document-limits.ts.
 */
export function aliasCount(selectionSet: SelectionSetNode, spread: (fragment: string) => number): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      count += (selection.alias ? 1 : 0) + (selection.selectionSet ? aliasCount(selection.selectionSet, spread) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += aliasCount(selection.selectionSet, spread);
    } else {
      count += spread(selection.name.value);
    }
  }
  return count;
}
