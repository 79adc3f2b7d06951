import type { ParseOptions, ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config.js';
import { aliasLimitRule } from './aliases.js';
import { depthLimitRule } from './depth.js';
import { knownOperationTypesRule } from './operation-types.js';

export { costLimitPlugin } from './cost-limit.js';
export { isPossibleCsrf } from './csrf.js';
export { graphqlBodyErrorHandler, registerStrictBodies, sendRequestError } from './http.js';

/** Apollo's `validationRules`: checked once per document (Apollo caches validated documents). */
export function createLimitRules(limits: LimitsConfig): ValidationRule[] {
  return [knownOperationTypesRule, depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)];
}

/** Apollo's `parseOptions`: the parser gives up past `maxTokens`, before building a huge AST (GRAPHQL_PARSE_FAILED). */
export function createParseOptions(limits: LimitsConfig): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
