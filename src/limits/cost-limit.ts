import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApiError, ErrorCode } from '../errors.js';
import { operationCost } from './cost.js';

/**
 * Refuses an operation whose estimated cost (./cost.ts) is above `maxCost`,
 * with QUERY_TOO_COMPLEX (HTTP 400) naming both. It runs once the operation is
 * resolved rather than as a validation rule: page sizes usually come from
 * variables, which validation never sees. The walk is over the document
 * only, a few microseconds. `onCost` hands the figure on (a rate limiter
 * counting in cost units).
 */
export function costLimitPlugin<TContext extends BaseContext>(
  maxCost: number,
  onCost?: (cost: number, context: TContext) => void,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          // Apollo resolves the operation before this hook; absent, it has answered already.
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables ?? {});
          onCost?.(cost, contextValue);
          if (cost > maxCost) {
            const message = `The operation would cost ${cost}; at most ${maxCost} is allowed: ask for smaller pages`;
            throw new ApiError(ErrorCode.QUERY_TOO_COMPLEX, message, { cost, maxCost, http: { status: 400 } });
          }
        },
      };
    },
  };
}
