import { getOperationAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Documents kept compiled; past it, the least recently run is compiled again on its next use. */
const MAX_COMPILED_DOCUMENTS = 1_000;

/** Marks a document graphql-jit refused: it runs through graphql-js from then on, without a second attempt. */
const NOT_COMPILABLE = Symbol('not compilable');

/** An operation Apollo has parsed, validated and resolved, with its compiled query. */
export interface CompiledOperation {
  readonly query: CompiledQuery;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/**
 * graphql-jit's compiled queries, one per document and operation, made on
 * first use. Compiling costs far more than running (a task tree takes
 * milliseconds), so it is done once per process and shape; a compiled query
 * cannot be serialised (graphql-jit#116), hence in memory only.
 *
 * Only Apollo's executor compiles (./executor-gateway.ts), and only once Apollo
 * has parsed the document, validated it (the query limits are validation rules)
 * and resolved its operation, which depends on the text and the name alone,
 * never on the viewer or the variables. So every entry is also an operation
 * the known-operation lane (src/http/known-operation-lane.ts) may run again.
 */
export class CompiledQueries {
  private readonly compiled = new LRUCache<string, CompiledOperation | typeof NOT_COMPILABLE>({ max: MAX_COMPILED_DOCUMENTS });

  constructor(
    private readonly schema: GraphQLSchema,
    /** Told once per document graphql-jit cannot compile (it then runs through graphql-js). */
    private readonly onRefused: (error: unknown) => void = () => {},
  ) {}

  /** The compiled query of `document`'s operation, compiled now if it is not yet; undefined when graphql-jit cannot compile it. */
  get(queryHash: string, document: DocumentNode, operationName: string | null): CompiledQuery | undefined {
    const key = keyOf(queryHash, operationName);
    let entry = this.compiled.get(key);
    if (entry === undefined) {
      entry = this.compile(document, operationName);
      this.compiled.set(key, entry);
    }
    return entry === NOT_COMPILABLE ? undefined : entry.query;
  }

  /** The operation compiled before under this text and name, without compiling anything; undefined when there is none. */
  find(queryHash: string, operationName: string | null): CompiledOperation | undefined {
    const entry = this.compiled.get(keyOf(queryHash, operationName));
    return entry === NOT_COMPILABLE ? undefined : entry;
  }

  get size(): number {
    return this.compiled.size;
  }

  private compile(document: DocumentNode, operationName: string | null): CompiledOperation | typeof NOT_COMPILABLE {
    try {
      const operation = getOperationAST(document, operationName);
      const result = compileQuery(this.schema, document, operationName ?? undefined, {
        // Errors keep the resolver's stack; capturing a new one per error would cost for nothing.
        disablingCapturingStackErrors: true,
      });
      if (isCompiledQuery(result) && operation) return { query: result, document, operation };
      this.onRefused(isCompiledQuery(result) ? new Error('no operation to compile') : result.errors);
    } catch (error) {
      this.onRefused(error);
    }
    return NOT_COMPILABLE;
  }
}

/** The hash names the text (Apollo's sha256 of it, the document guard's documentHash); one text may hold several operations. */
function keyOf(queryHash: string, operationName: string | null): string {
  return operationName === null ? queryHash : `${queryHash}:${operationName}`;
}
