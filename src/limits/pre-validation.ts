import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationTypeNode, type DocumentNode, type GraphQLError, type ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config.js';
import type { Context } from '../context.js';
import { documentLimitErrors, documentSize } from './document-limits.js';

export interface PreValidationObserver {
  /** graphql-js validated a document the client sent, for this long (ms). */
  validated(ms: number): void;
  /** A document broke the limits: graphql-js never validated it. */
  refused(): void;
}

/**
 * The query limits, checked between parsing and validation. graphql-js runs
 * every validation rule in one pass over the document, and an error reported
 * by one rule stops none of the others: a limit written as a rule is checked
 * only alongside OverlappingFieldsCanBeMerged, which spends a second on a 14 KB
 * document before anyone looks. Apollo offers no way to end a request between
 * the two (a hook that throws there answers HTTP 500), so when the parsed
 * document breaks a limit the plugin puts a one-field stand-in in its place
 * and `rule` reports the limit's errors on it: Apollo validates a document of
 * one field and answers those errors (HTTP 400) the way it answers any failed
 * validation, caching nothing.
 *
 * Validated documents are cached by Apollo (by hash), so all this runs once
 * per distinct document text; the plugin notes the size of each document it
 * lets through to validation, which the rate limit charges
 * (./request-charge.ts), and times validation for the metrics.
 */
export function preValidationLimits(limits: LimitsConfig, observer?: PreValidationObserver) {
  const refusals = new WeakMap<DocumentNode, readonly GraphQLError[]>();

  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async parsingDidStart(requestContext) {
          // Apollo calls this right after parsing, without awaiting it: it runs to its end synchronously.
          return async (parseError) => {
            const document = requestContext.document;
            if (parseError || !document) return;
            const size = documentSize(document);
            const errors = documentLimitErrors(document, limits, size);
            if (errors.length === 0) {
              requestContext.contextValue.record.validated(size.selections);
              return;
            }
            const standIn = standInDocument();
            refusals.set(standIn, errors);
            // Apollo's types mark the field read-only; its pipeline validates (and then
            // executes) whatever it holds after this hook (tests/integration/abuse-documents.test.ts).
            (requestContext as { document?: DocumentNode }).document = standIn;
            observer?.refused();
          };
        },
        async validationDidStart({ document, contextValue }) {
          if (refusals.has(document)) {
            contextValue.record.rejectDocument();
            return;
          }
          const started = performance.now();
          return async (errors) => {
            if (errors?.length) contextValue.record.rejectDocument();
            observer?.validated(performance.now() - started);
          };
        },
      };
    },
  };

  /** Reports a refused document's errors on its stand-in; nothing on any other document. */
  const rule: ValidationRule = (context) => {
    const errors = refusals.get(context.getDocument());
    if (!errors) return {};
    return {
      Document() {
        for (const error of errors) context.reportError(error);
        return false;
      },
    };
  };

  return { plugin, rule };
}

/** `{ __typename }`, fresh each time: the key under which one request's refusal is kept. */
function standInDocument(): DocumentNode {
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] },
      },
    ],
  };
}
