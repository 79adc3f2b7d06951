import { createSourceEventStream, execute, Kind, visit, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

export interface SharingPolicy<C> {
  /**
   * Who the payload is for: subscribers with the same scope (and the same
   * document and variables) may share one execution. Undefined: never shared.
   */
  scopeOf(context: C): string | undefined;
  /** A context for one execution of one event: its loaders start empty, so nested fields read fresh rows. */
  forEvent(context: C): C;
  /** One execution ran (the metrics: executions against deliveries). */
  executed(): void;
}

/**
 * graphql-ws's `subscribe`, executing each event once per shape instead of
 * once per subscriber. graphql-js maps every value of the source stream
 * through `execute`, so 50 watchers of one task ran the same selection 50
 * times per progress update. Here the result is kept on the value itself (a
 * WeakMap keyed by the row the bus event carried, shared by the local
 * subscribers of that event, ./topics.ts decodeShared) under its shape:
 * viewer and scopes, document, operation name and the variables that can
 * change the answer. A subscriber whose shape differs, or whose value is its
 * own (a replay read for it alone), executes for itself. The scope check
 * happened at subscribe time, in the field's own `subscribe`, for each
 * subscriber: a shared result only reaches subscribers of the same viewer.
 */
export function createSharedSubscribe<C>(policy: SharingPolicy<C>) {
  const executor = new SharedExecutor(policy);

  return async function subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterator(source)) return source as ExecutionResult;
    const scope = policy.scopeOf(args.contextValue as C);
    const shape = scope === undefined ? undefined : interned(`${scope}\n${args.operationName ?? ''}\n${documentIdOf(args.document)}\n${variablesKey(args)}`);
    return new ExecutedStream(source, executor, args, shape);
  };
}

/** The results of the values in flight, by value (the row an event carried) and shape: dropped with the row. */
class SharedExecutor<C> {
  private readonly results = new WeakMap<object, Map<string, Result>>();

  constructor(private readonly policy: SharingPolicy<C>) {}

  resultOf(value: unknown, args: ExecutionArgs, shape: string | undefined): Result {
    if (shape === undefined || typeof value !== 'object' || value === null) return this.run(value, args);
    let byShape = this.results.get(value);
    if (!byShape) this.results.set(value, (byShape = new Map()));
    let result = byShape.get(shape);
    if (result === undefined) byShape.set(shape, (result = this.run(value, args)));
    return result;
  }

  private run(value: unknown, args: ExecutionArgs): Result {
    this.policy.executed();
    return execute({ ...args, rootValue: value, contextValue: this.policy.forEvent(args.contextValue as C) });
  }
}

/**
 * The source stream, each value executed when it is pulled: a value replaced
 * in the buffer by a later one (coalesced progress) is never executed. A
 * class, not closures: every subscription holds one for its whole life.
 */
class ExecutedStream<C> implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly executor: SharedExecutor<C>,
    private readonly args: ExecutionArgs,
    private readonly shape: string | undefined,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const pulled = await this.source.next();
    return pulled.done ? { value: undefined, done: true } : { value: await this.executor.resultOf(pulled.value, this.args, this.shape), done: false };
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    return this.source.return ? (this.source.return() as Promise<IteratorResult<ExecutionResult>>) : Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    return this.source.throw ? (this.source.throw(error) as Promise<IteratorResult<ExecutionResult>>) : Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterator<unknown>).next === 'function';
}

/** Shapes seen lately, one string each: the watchers of one task share it instead of holding a concatenation each. */
const shapes = new Map<string, string>();
const SHAPES_MAX = 10_000;
function interned(shape: string): string {
  const known = shapes.get(shape);
  if (known !== undefined) return known;
  if (shapes.size >= SHAPES_MAX) shapes.clear();
  shapes.set(shape, shape);
  return shape;
}

/** Documents are shared by text (./transport.ts keeps one per distinct query): an id per document object. */
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;
function documentIdOf(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = nextDocumentId++));
  return id;
}

/**
 * The variables that can change a payload. A variable used only as a root
 * field's `since` decides what is replayed, not what an event looks like:
 * left out, so clients that resumed from different versions still share.
 */
function variablesKey(args: ExecutionArgs): string {
  const variables = args.variableValues ?? {};
  const ignored = resumeOnlyVariables(args.document);
  const kept = Object.keys(variables).filter((name) => !ignored.has(name)).sort();
  return JSON.stringify(kept.map((name) => [name, variables[name]]));
}

const resumeOnly = new WeakMap<DocumentNode, ReadonlySet<string>>();
function resumeOnlyVariables(document: DocumentNode): ReadonlySet<string> {
  let names = resumeOnly.get(document);
  if (names) return names;
  const asSince = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      for (const argument of selection.arguments ?? []) {
        if (argument.name.value === 'since' && argument.value.kind === Kind.VARIABLE) {
          const name = argument.value.name.value;
          asSince.set(name, (asSince.get(name) ?? 0) + 1);
        }
      }
    }
  }
  visit(document, {
    VariableDefinition: () => false,
    Variable(node) {
      uses.set(node.name.value, (uses.get(node.name.value) ?? 0) + 1);
    },
  });
  names = new Set([...asSince].filter(([name, count]) => uses.get(name) === count).map(([name]) => name));
  resumeOnly.set(document, names);
  return names;
}
