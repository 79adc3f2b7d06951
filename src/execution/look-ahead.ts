import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** What a selection asks for: each field by its name (not its alias), with the selection sets under it. */
export type SelectedFields = ReadonlyMap<string, readonly SelectionSetNode[]>;

/**
 * The fields that `selectionSets` ask for, through inline fragments and
 * fragment spreads, merged by field name. @skip and @include are not
 * evaluated: a field under either counts as asked. The answer is a superset of
 * what execution will read, which is what a resolver may safely use to read
 * less from the database (a column not asked for is never resolved).
 */
export function selectedFields(
  selectionSets: readonly SelectionSetNode[],
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): SelectedFields {
  const fields = new Map<string, SelectionSetNode[]>();
  const visit = (selectionSet: SelectionSetNode, spread: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const nested = fields.get(selection.name.value) ?? [];
        if (selection.selectionSet) nested.push(selection.selectionSet);
        fields.set(selection.name.value, nested);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, spread);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        // Validation has ruled out cycles and unknown fragments; the guard keeps this total anyway.
        if (fragment && !spread.has(name)) visit(fragment.selectionSet, new Set([...spread, name]));
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet, new Set());
  return fields;
}

/** The fields asked for under `name` in `fields` (empty when it is not asked for). */
export function fieldsUnder(fields: SelectedFields, name: string, fragments: Readonly<Record<string, FragmentDefinitionNode>>): SelectedFields {
  return selectedFields(fields.get(name) ?? [], fragments);
}
