/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation BatchCreateTasks($inputs: [CreateTaskInput!]!, $idempotencyKey: String) {\n  createTasks(inputs: $inputs, idempotencyKey: $idempotencyKey) {\n    id\n  }\n}\n\nmutation BatchUpdateTasksStatus($inputs: [UpdateTaskStatusInput!]!) {\n  updateTasksStatus(inputs: $inputs) {\n    id\n    status\n  }\n}": typeof types.BatchCreateTasksDocument,
};
const documents: Documents = {
    "mutation BatchCreateTasks($inputs: [CreateTaskInput!]!, $idempotencyKey: String) {\n  createTasks(inputs: $inputs, idempotencyKey: $idempotencyKey) {\n    id\n  }\n}\n\nmutation BatchUpdateTasksStatus($inputs: [UpdateTaskStatusInput!]!) {\n  updateTasksStatus(inputs: $inputs) {\n    id\n    status\n  }\n}": types.BatchCreateTasksDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation BatchCreateTasks($inputs: [CreateTaskInput!]!, $idempotencyKey: String) {\n  createTasks(inputs: $inputs, idempotencyKey: $idempotencyKey) {\n    id\n  }\n}\n\nmutation BatchUpdateTasksStatus($inputs: [UpdateTaskStatusInput!]!) {\n  updateTasksStatus(inputs: $inputs) {\n    id\n    status\n  }\n}"): typeof import('./graphql.js').BatchCreateTasksDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
