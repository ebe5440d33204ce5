import { Kind, parse, type OperationDefinitionNode } from "graphql";

/**
 * Whether a request reads or writes, and how much content it creates. The retry policy
 * depends on it: a read can be resent after a 5xx, a write cannot (GitHub may have done it).
 * GraphQL goes over POST either way, so its operation type decides.
 */
export interface RequestKind {
  kind: "read" | "write";
  /** Content units for the write budget: one per request, plus one per created item beyond the first. */
  cost: number;
  /** Short label for logs and errors, e.g. `POST /repos/{owner}/{repo}/git/refs` or `graphql mutation CreateTasks`. */
  label: string;
}

/** Mutation fields that create user-visible content (GitHub's "content creation" limit). */
const CONTENT_MUTATIONS = new Set(["createIssue", "addComment", "createPullRequest", "addPullRequestReview", "createDiscussion"]);

const TOKEN_URL = /^(https:\/\/[^/]+)?\/app\/installations\/(\{installation_id\}|\d+)\/access_tokens$/;

/** Classify an Octokit request from its method, URL template and GraphQL text. */
export function classifyRequest(method: string, url: string, query: unknown): RequestKind {
  const upper = method.toUpperCase();
  if (isGraphqlUrl(url) && typeof query === "string") return classifyGraphql(query);
  if (upper === "GET" || upper === "HEAD" || upper === "OPTIONS") return { kind: "read", cost: 1, label: `${upper} ${url}` };
  // Minting an installation token creates no content and changes nothing on GitHub: it is
  // not paced as a write (GitHub counts token requests on a limit of their own, 2,000 an
  // hour) and, like a read, may be sent again after a 5xx.
  if (upper === "POST" && TOKEN_URL.test(url)) return { kind: "read", cost: 1, label: `${upper} ${url}` };
  return { kind: "write", cost: 1, label: `${upper} ${url}` };
}

/** True for the GraphQL endpoint (with or without a base URL). */
export function isGraphqlUrl(url: string): boolean {
  return /(^|\/)graphql$/.test(url.split("?")[0] ?? "");
}

/**
 * Parse the document to find the operation type. An unparsable document is called a write:
 * failing safe means never resending something we could not read.
 */
export function classifyGraphql(query: string): RequestKind {
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return { kind: "write", cost: 1, label: "graphql (unparsable)" };
  }
  if (!operation) return { kind: "write", cost: 1, label: "graphql (no operation)" };
  const name = operation.name?.value ?? "anonymous";
  if (operation.operation !== "mutation") return { kind: "read", cost: 1, label: `graphql ${operation.operation} ${name}` };
  const created = operation.selectionSet.selections.filter(
    (s) => s.kind === Kind.FIELD && CONTENT_MUTATIONS.has(s.name.value),
  ).length;
  return { kind: "write", cost: Math.max(1, created), label: `graphql mutation ${name}` };
}

