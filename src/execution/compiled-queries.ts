import { type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Documents kept compiled; past it, the least recently run is compiled again on its next use. */
const MAX_COMPILED_DOCUMENTS = 1_000;

/** Marks a document graphql-jit refused: it runs through graphql-js from then on, without a second attempt. */
const NOT_COMPILABLE = Symbol('not compilable');

/**
 * graphql-jit's compiled queries, one per document and operation, made on
 * first use. Compiling costs far more than running (a task tree takes
 * milliseconds), so it is done once per process and shape; a compiled query
 * cannot be serialised (graphql-jit#116), hence in memory only.
 */
export class CompiledQueries {
  private readonly compiled = new LRUCache<string, CompiledQuery | typeof NOT_COMPILABLE>({ max: MAX_COMPILED_DOCUMENTS });

  constructor(
    private readonly schema: GraphQLSchema,
    /** Told once per document graphql-jit cannot compile (it then runs through graphql-js). */
    private readonly onRefused: (error: unknown) => void = () => {},
  ) {}

  /** The compiled query of `document`'s operation, or undefined when graphql-jit cannot compile it. */
  get(queryHash: string, document: DocumentNode, operationName: string | null): CompiledQuery | undefined {
    // The hash names the text (Apollo's sha256 of it); one text may hold several operations.
    const key = operationName === null ? queryHash : `${queryHash}:${operationName}`;
    let entry = this.compiled.get(key);
    if (entry === undefined) {
      entry = this.compile(document, operationName);
      this.compiled.set(key, entry);
    }
    return entry === NOT_COMPILABLE ? undefined : entry;
  }

  get size(): number {
    return this.compiled.size;
  }

  private compile(document: DocumentNode, operationName: string | null): CompiledQuery | typeof NOT_COMPILABLE {
    try {
      const result = compileQuery(this.schema, document, operationName ?? undefined, {
        // Errors keep the resolver's stack; capturing a new one per error would cost for nothing.
        disablingCapturingStackErrors: true,
      });
      if (isCompiledQuery(result)) return result;
      this.onRefused(result.errors);
    } catch (error) {
      this.onRefused(error);
    }
    return NOT_COMPILABLE;
  }
}
