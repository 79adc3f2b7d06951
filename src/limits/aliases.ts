import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { ApiError, ErrorCode } from '../errors.js';
import { fragmentsOf, memoizedFragments } from './fragments.js';

/**
 * Refuses an operation with more than `maxAliases` aliases. Aliases let one
 * small document run the same field thousands of times (`a1: tasks ...
 * a2: tasks ...`); a fragment counts each time it is spread, so nesting
 * fragments cannot multiply them unseen.
 */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context) => {
    const spread = memoizedFragments(fragmentsOf(context.getDocument()), aliasCount);
    return {
      OperationDefinition(operation) {
        const aliases = aliasCount(operation.selectionSet, spread);
        if (aliases > maxAliases) {
          const message = `The operation uses ${aliases} aliases; at most ${maxAliases} are allowed`;
          context.reportError(new ApiError(ErrorCode.TOO_MANY_ALIASES, message, { aliases, maxAliases }));
        }
        return false;
      },
    };
  };
}

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
