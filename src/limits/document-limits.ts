import { Kind, type DocumentNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import type { LimitsConfig } from '../config.js';
import { ApiError, ErrorCode } from '../errors.js';
import { aliasCount } from './aliases.js';
import { selectionDepth } from './depth.js';
import { fragmentsOf, memoizedFragments } from './fragments.js';

type DocumentLimits = Pick<LimitsConfig, 'maxSelections' | 'maxFragments' | 'maxDepth' | 'maxAliases'>;

/**
 * What a document asks graphql-js to validate, as written: fields, inline
 * fragments and spreads in every selection set (fragment definitions
 * included), and fragment definitions. Some of graphql's rules
 * (OverlappingFieldsCanBeMerged) compare selections pairwise: 416 copies of
 * one field cost it a second, so the size is bounded before they run.
 */
export function documentSize(document: DocumentNode): { selections: number; fragments: number } {
  let selections = 0;
  let fragments = 0;
  // An explicit stack: the parser's token limit allows nesting deep enough to overflow recursion.
  const pending: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments++;
    if ('selectionSet' in definition && definition.selectionSet) pending.push(definition.selectionSet);
  }
  for (let set = pending.pop(); set; set = pending.pop()) {
    selections += set.selections.length;
    for (const selection of set.selections) if ('selectionSet' in selection && selection.selectionSet) pending.push(selection.selectionSet);
  }
  return { selections, fragments };
}

/**
 * Every limit a document breaks, measured on the document alone in linear
 * time (fragments measured once however often they are spread): its size,
 * then each operation's depth and aliases. Empty when it may be validated.
 */
export function documentLimitErrors(document: DocumentNode, limits: DocumentLimits, size = documentSize(document)): GraphQLError[] {
  const { selections, fragments } = size;
  if (selections > limits.maxSelections) {
    const message = `The document has ${selections} selections; at most ${limits.maxSelections} are allowed`;
    return [new ApiError(ErrorCode.QUERY_TOO_LARGE, message, { selections, maxSelections: limits.maxSelections })];
  }
  if (fragments > limits.maxFragments) {
    const message = `The document defines ${fragments} fragments; at most ${limits.maxFragments} are allowed`;
    return [new ApiError(ErrorCode.QUERY_TOO_LARGE, message, { fragments, maxFragments: limits.maxFragments })];
  }
  const errors: GraphQLError[] = [];
  const fragmentMap = fragmentsOf(document);
  const depthOf = memoizedFragments(fragmentMap, selectionDepth);
  const aliasesOf = memoizedFragments(fragmentMap, aliasCount);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = selectionDepth(definition.selectionSet, depthOf);
    if (depth > limits.maxDepth) {
      const message = `The operation nests ${depth} fields deep; at most ${limits.maxDepth} are allowed`;
      errors.push(new ApiError(ErrorCode.QUERY_TOO_DEEP, message, { depth, maxDepth: limits.maxDepth }));
    }
    const aliases = aliasCount(definition.selectionSet, aliasesOf);
    if (aliases > limits.maxAliases) {
      const message = `The operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`;
      errors.push(new ApiError(ErrorCode.TOO_MANY_ALIASES, message, { aliases, maxAliases: limits.maxAliases }));
    }
  }
  return errors;
}
