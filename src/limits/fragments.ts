import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Folds a selection set into one number per fragment, once: a fragment spread
 * many times (or spreading others many times) is measured once, so a document
 * that expands exponentially is measured in linear time. `measure` gets
 * `spread(name)`, which answers 0 for an unknown fragment and for a cycle
 * (graphql's own rules report both; every rule runs in the same pass, so the
 * limits must not loop on them meanwhile).
 */
export function memoizedFragments(fragments: Fragments, measure: (selectionSet: SelectionSetNode, spread: (name: string) => number) => number) {
  const measured = new Map<string, number>();
  const inProgress = new Set<string>();
  const spread = (name: string): number => {
    const known = measured.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return 0;
    inProgress.add(name);
    const value = measure(fragment.selectionSet, spread);
    inProgress.delete(name);
    measured.set(name, value);
    return value;
  };
  return spread;
}
