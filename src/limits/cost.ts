import {
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MAX_BATCH_SIZE } from '../batch.js';
import { DEFAULT_PAGE_SIZE, MAX_OFFSET, MAX_PAGE_SIZE } from '../pagination.js';
import { OFFSET_ROWS_PER_UNIT, WRITE_ROW_COST, textWeight } from './weights.js';
import { fragmentsOf, type Fragments } from './fragments.js';

type Variables = Readonly<Record<string, unknown>>;

/**
 * The objects an operation asks for, estimated before it runs: every object
 * counts 1 (leaves are free: they come with their row), and a list multiplies
 * what it holds. A connection (a field taking `first`/`last`) is one object
 * whose `nodes` and `edges` are as long as the page it asks for (20 when
 * absent); any other list is taken to hold 20. Nested lists multiply:
 *
 *   tasks(first: 20) { nodes { storyboards(first: 10) { nodes { video { url } } } } }
 *   = 1 + 20 x (1 + 1 + 10 x (1 + 1)) = 441
 *
 * Page sizes come from literals, variables or the variables' defaults, and
 * count at most 100: a larger page is refused by its resolver (PAGE_TOO_LARGE)
 * before it reads anything. A plain list taking `first` (Task.scripts) holds
 * that many, its schema default when absent. Introspection fields cost nothing.
 *
 * Bytes count too: a large text field costs its maximum size in units of
 * 10,000 characters (./weights.ts). And writes: a mutation field costs
 * WRITE_ROW_COST per row it writes (the length of its list argument, at most
 * a batch) plus one object per row it answers. And rows skipped: an `offset`
 * costs a unit per OFFSET_ROWS_PER_UNIT rows (at most 10,000 of them).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables = {},
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const estimate = new CostEstimate(schema, fragmentsOf(document), withDefaults(operation, variables));
  return estimate.selectionSet(operation.selectionSet, root, undefined);
}

/** A variable the request leaves out takes its default from the operation. */
function withDefaults(operation: OperationDefinitionNode, variables: Variables): Variables {
  const values: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

class CostEstimate {
  /** Fragment costs by name and the page size they sit in: each is walked once. */
  private readonly fragmentCosts = new Map<string, number>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Fragments,
    private readonly variables: Variables,
  ) {}

  /** `pageSize`: the length of the lists directly in this selection, when it is a connection's. */
  selectionSet(selectionSet: SelectionSetNode, type: GraphQLNamedType, pageSize: number | undefined): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += this.field(selection, type, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition && this.schema.getType(selection.typeCondition.name.value);
        cost += this.selectionSet(selection.selectionSet, condition ?? type, pageSize);
      } else {
        cost += this.fragment(selection.name.value, pageSize);
      }
    }
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLNamedType, pageSize: number | undefined): number {
    if (node.name.value.startsWith('__')) return 0;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const definition = parent.getFields()[node.name.value];
    if (!definition) return 0;
    if (parent === this.schema.getMutationType()) return this.write(node, definition);
    if (!node.selectionSet) return textWeight(parent.name, definition.name);
    const type = getNamedType(definition.type);
    const isList = isListType(getNullableType(definition.type));
    if (definition.args.some((argument) => argument.name === 'first' || argument.name === 'last')) {
      const size = this.pageSizeOf(node, definition);
      // A plain list holds its page; a connection is one object whose nodes and edges hold it.
      if (isList) return size * (1 + this.selectionSet(node.selectionSet, type, undefined));
      return 1 + this.skippedRowsOf(node) + this.selectionSet(node.selectionSet, type, size);
    }
    const count = isList ? (pageSize ?? DEFAULT_PAGE_SIZE) : 1;
    return count * (1 + this.selectionSet(node.selectionSet, type, undefined));
  }

  /** A mutation field: the rows it writes, then one object per row it answers (one for a single object). */
  private write(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    const rows = this.rowsWrittenBy(node);
    if (!node.selectionSet) return rows * WRITE_ROW_COST;
    const answered = isListType(getNullableType(definition.type)) ? rows : 1;
    return rows * WRITE_ROW_COST + answered * (1 + this.selectionSet(node.selectionSet, getNamedType(definition.type), undefined));
  }

  /** The length of the field's list argument (a batch's `inputs`), at most a batch: larger ones are refused before writing. */
  private rowsWrittenBy(node: FieldNode): number {
    const lengths = (node.arguments ?? [])
      .map((argument) => valueFromASTUntyped(argument.value, this.variables))
      .filter((value): value is unknown[] => Array.isArray(value))
      .map((value) => value.length);
    return lengths.length === 0 ? 1 : Math.min(Math.max(...lengths), MAX_BATCH_SIZE);
  }

  private fragment(name: string, pageSize: number | undefined): number {
    const key = `${name}:${pageSize ?? ''}`;
    const known = this.fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
    // Unknown fragments and cycles are reported by graphql's own rules.
    if (!fragment || !type || this.inProgress.has(key)) return 0;
    this.inProgress.add(key);
    const cost = this.selectionSet(fragment.selectionSet, type, pageSize);
    this.inProgress.delete(key);
    this.fragmentCosts.set(key, cost);
    return cost;
  }

  /** Units for the rows an `offset` skips (up to MAX_OFFSET: a deeper one is refused before it reads); 0 without one. */
  private skippedRowsOf(node: FieldNode): number {
    const offset = node.arguments?.find((argument) => argument.name.value === 'offset');
    const rows = offset && valueFromASTUntyped(offset.value, this.variables);
    if (typeof rows !== 'number' || !Number.isInteger(rows) || rows <= 0) return 0;
    return Math.ceil(Math.min(rows, MAX_OFFSET) / OFFSET_ROWS_PER_UNIT);
  }

  /** The larger of `first` and `last`, between 0 and 100; the field's default (else 20) when neither is a whole number. */
  private pageSizeOf(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    const sizes = (node.arguments ?? [])
      .filter((argument) => argument.name.value === 'first' || argument.name.value === 'last')
      .map((argument) => valueFromASTUntyped(argument.value, this.variables))
      .filter((value): value is number => typeof value === 'number' && Number.isInteger(value));
    if (sizes.length === 0) return defaultPageSizeOf(definition);
    return Math.min(Math.max(0, ...sizes), MAX_PAGE_SIZE);
  }
}

/** The schema's default for `first` (a plain list declares its own), else the connections' 20. */
function defaultPageSizeOf(definition: GraphQLField<unknown, unknown>): number {
  const first = definition.args.find((argument) => argument.name === 'first');
  return typeof first?.defaultValue === 'number' ? Math.min(first.defaultValue, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}
