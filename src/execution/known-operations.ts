import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Operations remembered as valid; past it, the least recently run goes back through Apollo once. */
const MAX_KNOWN_OPERATIONS = 1_000;

/** A query or mutation Apollo has parsed, validated and resolved: what the lane needs to run it again. */
export interface KnownOperation {
  /** The SHA-256 of the document's text (Apollo's queryHash, the document guard's documentHash). */
  readonly queryHash: string;
  /** As the client named it; null when it named none (the document then holds one operation). */
  readonly operationName: string | null;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/**
 * The operations Apollo has let through to execution, by document text and
 * operation name. Apollo learns them: a document reaches `didResolveOperation`
 * only once it parsed, passed every validation rule (the query limits among
 * them) and named one operation, which depends on the text and the name alone,
 * never on the viewer or the variables. What does depend on them (the viewer,
 * the cost of these variables, their coercion) is checked again on every run.
 */
export class KnownOperations {
  private readonly operations = new LRUCache<string, KnownOperation>({ max: MAX_KNOWN_OPERATIONS });

  find(queryHash: string, operationName: string | null): KnownOperation | undefined {
    return this.operations.get(keyOf(queryHash, operationName));
  }

  /** Apollo's side: a plugin that remembers each query and mutation it resolved. */
  learningPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ queryHash, document, operation, request }) => {
          // Subscriptions over HTTP, and what the lane cannot run, stay Apollo's.
          if (!operation || operation.operation === 'subscription') return;
          const operationName = request.operationName ?? null;
          const key = keyOf(queryHash, operationName);
          if (!this.operations.has(key)) this.operations.set(key, { queryHash, operationName, document, operation });
        },
      }),
    };
  }

  get size(): number {
    return this.operations.size;
  }
}

function keyOf(queryHash: string, operationName: string | null): string {
  return operationName === null ? queryHash : `${queryHash}:${operationName}`;
}
