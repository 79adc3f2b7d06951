import type { ParseOptions, ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config.js';
import { knownOperationTypesRule } from './operation-types.js';
import { preValidationLimits, type PreValidationObserver } from './pre-validation.js';

export { costLimitPlugin } from './cost-limit.js';
export { isPossibleCsrf } from './csrf.js';
export { createDocumentGuard, type GuardRefusal } from './document-guard.js';
export { graphqlBodyErrorHandler, registerStrictBodies, sendRequestError } from './http.js';
export { bodyUnitsOf, workUnitsOf } from './request-charge.js';
export type { PreValidationObserver } from './pre-validation.js';

/**
 * The query limits as Apollo takes them: a plugin that measures each parsed
 * document (size, depth, aliases) before graphql-js validates it, and the
 * `validationRules` that report what it found (./pre-validation.ts). Checked
 * once per document: Apollo caches validated documents.
 */
export function createQueryLimits(limits: LimitsConfig, observer?: PreValidationObserver): { plugin: ReturnType<typeof preValidationLimits>['plugin']; validationRules: ValidationRule[] } {
  const { plugin, rule } = preValidationLimits(limits, observer);
  return { plugin, validationRules: [knownOperationTypesRule, rule] };
}

/** Apollo's `parseOptions`: the parser gives up past `maxTokens`, before building a huge AST (GRAPHQL_PARSE_FAILED). */
export function createParseOptions(limits: LimitsConfig): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
