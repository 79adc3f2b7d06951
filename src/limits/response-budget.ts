import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ApiError, ErrorCode } from '../errors.js';

/**
 * The bytes of large values (script contents, messages, task options) one
 * response may carry, counted as they are read, before anything is
 * serialised. The cost limit bounds how many objects a request may ask for,
 * assuming every text at its maximum; this bounds what the rows actually
 * hold, old rows written under older limits included.
 *
 * The first charge past the ceiling throws RESPONSE_TOO_LARGE, and so does
 * every one after it; a loader of a large column passes `remaining` to its SQL,
 * so PostgreSQL never sends what could not be answered anyway.
 */
export class ResponseBudget {
  private spent = 0;
  private overdrawn = false;

  constructor(readonly maxBytes: number) {}

  /** Bytes still available; 0 once the ceiling is passed. */
  get remaining(): number {
    return this.overdrawn ? 0 : this.maxBytes - this.spent;
  }

  get exceeded(): boolean {
    return this.overdrawn;
  }

  /** Counts a value about to go into the response. */
  charge(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.maxBytes) this.overdrawn = true;
    if (this.overdrawn) throw responseTooLarge(this.maxBytes);
  }

  /** A text's UTF-8 bytes; answers the text, to be used inline in a resolver. */
  chargeText(text: string): string {
    this.charge(Buffer.byteLength(text));
    return text;
  }

  /** A JSON value's bytes as it will be sent. */
  chargeJson<T>(value: T): T {
    this.charge(Buffer.byteLength(JSON.stringify(value) ?? ''));
    return value;
  }

  /** A loader's SQL left out a value to stay within `remaining`: the response cannot be answered. */
  refuse(): never {
    this.overdrawn = true;
    throw responseTooLarge(this.maxBytes);
  }
}

function responseTooLarge(maxBytes: number): ApiError {
  return new ApiError(ErrorCode.RESPONSE_TOO_LARGE, `The response would be larger than ${maxBytes} bytes: ask for fewer or smaller fields`, {
    maxBytes,
  });
}

/**
 * A response whose budget was exceeded is answered with RESPONSE_TOO_LARGE
 * alone: the partial data (with a null for every refused field) is dropped
 * before Apollo serialises it, so a client never mistakes it for a whole answer.
 */
export function responseBudgetPlugin<TContext extends BaseContext>(budgetOf: (context: TContext) => ResponseBudget | undefined): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const refusal = budgetRefusal(budgetOf(contextValue));
          if (!refusal || response.body.kind !== 'single') return;
          response.body.singleResult = refusal.result;
          response.http.status = refusal.status;
        },
      };
    },
  };
}

/** What a response whose budget was exceeded is answered instead (HTTP 400); undefined when it was not. */
export function budgetRefusal(budget: ResponseBudget | undefined): { readonly result: { errors: GraphQLFormattedError[] }; readonly status: number } | undefined {
  if (!budget?.exceeded) return undefined;
  const error = responseTooLarge(budget.maxBytes);
  return { result: { errors: [{ message: error.message, extensions: error.extensions }] }, status: 400 };
}
