import {
  GraphQLError,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
} from "graphql";
import { GitHubApiError } from "../errors.js";
import type { GraphqlAuth, GraphqlHandler } from "../server.js";
import type { World } from "../state.js";
import { errorType, mutationResolvers } from "./mutations.js";
import { queryResolvers } from "./resolvers.js";
import { githubGraphqlSchema } from "./schema.js";
import { typeOf, type ResolverContext, type ResolverMap } from "./views.js";

/**
 * `POST /graphql` for the emulator: documents are parsed and validated against GitHub's
 * own schema (extended with blocked-by), then executed over the world. Types built by the
 * resolvers as plain objects (payloads, connections) read their fields directly; every
 * other field must have a resolver, so a query reaching for something the sandbox does not
 * model gets an error naming it instead of a silent null.
 */

const RESOLVERS: ResolverMap = { ...queryResolvers, ...mutationResolvers };

/** Types the resolvers return as plain objects whose properties are the GraphQL fields. */
function isPlainType(name: string): boolean {
  return /(Payload|Connection|Edge)$/.test(name) || ["PageInfo", "AutoMergeRequest", "SubIssuesSummary", "RateLimit", "PullRequestCommit"].includes(name);
}

const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, ctx, info) => {
  const typeName = info.parentType.name;
  const resolver = RESOLVERS[typeName]?.[info.fieldName];
  if (resolver) return resolver(source, args, ctx, info);
  if (info.fieldName === "__typename") return typeName;
  if (isPlainType(typeName) && typeof source === "object" && source !== null) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    if (value !== undefined) return value;
  }
  throw new GraphQLError(`The sandbox does not implement ${typeName}.${info.fieldName}`, { extensions: { type: "NOT_IMPLEMENTED" } });
};

const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value, _ctx, _info, abstractType) => {
  const name = typeOf(value);
  if (!name) throw new GraphQLError(`The sandbox cannot tell which ${abstractType.name} this is`);
  return name;
};

/** GitHub's error shape: message, locations, path, and a top-level `type` when it has one. */
function formatError(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError;
  let message = error.message;
  if (original instanceof GitHubApiError) {
    const details = (original.body.errors as { message?: string }[] | undefined)?.map((e) => e.message).filter(Boolean);
    if (details && details.length > 0) message = details.join("; ");
  }
  const type = errorType(original) ?? (error.extensions?.type as string | undefined);
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message,
  };
}

/** Build the handler the emulator's server calls for `POST /graphql`. */
export function createGraphqlHandler(world: World): GraphqlHandler {
  const schema = githubGraphqlSchema();
  return async (body, auth: GraphqlAuth) => {
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return { status: 200, json: { errors: [formatError(error as GraphQLError)] } };
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return { status: 200, json: { errors: invalid.map(formatError) } };
    const contextValue: ResolverContext = { world, auth, repoOf: new WeakMap() };
    const result = await execute({
      schema,
      document,
      variableValues: body.variables ?? {},
      operationName: body.operationName,
      contextValue,
      fieldResolver,
      typeResolver,
    });
    const json: Record<string, unknown> = {};
    if (result.errors && result.errors.length > 0) json.errors = result.errors.map(formatError);
    if (result.data !== undefined) json.data = result.data;
    return { status: 200, json };
  };
}
