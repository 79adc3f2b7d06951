import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { ApiError, ErrorCode } from '../errors.js';
import { fragmentsOf, memoizedFragments } from './fragments.js';

/**
 * Refuses an operation whose fields nest deeper than `maxDepth`, fragments
 * followed: `{ viewer { id } }` is 2 deep, the task tree (W3) 6. The schema's
 * cycles (task -> storyboards -> task ...) would otherwise let one request
 * walk the same rows again and again.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const spread = memoizedFragments(fragmentsOf(context.getDocument()), selectionDepth);
    return {
      OperationDefinition(operation) {
        const depth = selectionDepth(operation.selectionSet, spread);
        if (depth > maxDepth) {
          const message = `The operation nests ${depth} fields deep; at most ${maxDepth} are allowed`;
          context.reportError(new ApiError(ErrorCode.QUERY_TOO_DEEP, message, { depth, maxDepth }));
        }
        return false;
      },
    };
  };
}

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
