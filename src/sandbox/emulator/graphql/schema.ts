import { buildSchema, extendSchema, parse, type GraphQLSchema } from "graphql";
import { schema as githubSchema } from "@octokit/graphql-schema";

/**
 * GitHub's public GraphQL schema (from `@octokit/graphql-schema`, frozen 2025-02-27),
 * extended with the issue-dependency fields GitHub shipped after that snapshot. Executing
 * against it means every query the app sends is validated against GitHub's own types.
 */
export const SCHEMA_EXTENSION = `
input AddBlockedByInput {
  "The id of the issue that is blocked."
  issueId: ID!
  "The id of the issue that blocks it."
  blockingIssueId: ID!
  clientMutationId: String
}
type AddBlockedByPayload {
  issue: Issue
  blockingIssue: Issue
  clientMutationId: String
}
input RemoveBlockedByInput {
  issueId: ID!
  blockingIssueId: ID!
  clientMutationId: String
}
type RemoveBlockedByPayload {
  issue: Issue
  blockingIssue: Issue
  clientMutationId: String
}
extend type Issue {
  blockedBy(first: Int, after: String, last: Int, before: String): IssueConnection!
  blocking(first: Int, after: String, last: Int, before: String): IssueConnection!
}
extend type Mutation {
  addBlockedBy(input: AddBlockedByInput!): AddBlockedByPayload
  removeBlockedBy(input: RemoveBlockedByInput!): RemoveBlockedByPayload
}
`;

let cached: GraphQLSchema | null = null;

/** The extended schema, built once per process (parsing 1.2 MB of SDL takes a moment). */
export function githubGraphqlSchema(): GraphQLSchema {
  if (!cached) {
    const base = buildSchema(githubSchema.idl, { assumeValidSDL: true });
    cached = extendSchema(base, parse(SCHEMA_EXTENSION), { assumeValidSDL: true });
  }
  return cached;
}
