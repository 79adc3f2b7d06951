import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

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

/** What a connection field asks for: of its nodes, and of what can only be answered from around them. */
export interface ConnectionSelection {
  /** The fields asked of its nodes, under `nodes` and `edges { node }`, merged. */
  readonly nodeFields: SelectedFields;
  /** A cursor is asked: `edges { cursor }`, or pageInfo's startCursor or endCursor. */
  readonly cursors: boolean;
  /** pageInfo's hasNextPage or hasPreviousPage is asked: the page must read one row past its end to answer it. */
  readonly pagePosition: boolean;
}

// One document asks the same thing every time it runs: a field node that is the
// field's only one is the key (a node merged with others is worked out each time).
const connectionSelections = new WeakMap<FieldNode, ConnectionSelection>();

/** What a connection field (the one `info` resolves) asks for. */
export function connectionSelection(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): ConnectionSelection {
  const only = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const known = only && connectionSelections.get(only);
  if (known) return known;
  const connection = selectedFields(
    info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
    info.fragments,
  );
  const edges = fieldsUnder(connection, 'edges', info.fragments);
  const pageInfo = fieldsUnder(connection, 'pageInfo', info.fragments);
  const nodeFields = new Map([...fieldsUnder(connection, 'nodes', info.fragments)]);
  for (const [name, sets] of fieldsUnder(edges, 'node', info.fragments)) nodeFields.set(name, [...(nodeFields.get(name) ?? []), ...sets]);
  const selection: ConnectionSelection = {
    nodeFields,
    cursors: edges.has('cursor') || pageInfo.has('startCursor') || pageInfo.has('endCursor'),
    pagePosition: pageInfo.has('hasNextPage') || pageInfo.has('hasPreviousPage'),
  };
  if (only) connectionSelections.set(only, selection);
  return selection;
}
