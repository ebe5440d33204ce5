import { Kind, parse, type OperationDefinitionNode } from "graphql";

/**
 * Whether a request reads or writes, and how much content it creates. The retry policy
 * depends on it: a read can be resent after a 5xx, a write cannot (GitHub may have done it).
 * GraphQL goes over POST either way, so its operation type decides.
 */
export interface RequestKind {
  kind: "read" | "write";
  /** Content units for the write budget: one per request (see classifyGraphql). */
  cost: number;
  /** Short label for logs and errors, e.g. `POST /repos/{owner}/{repo}/git/refs` or `graphql mutation CreateTasks`. */
  label: string;
}

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
  // GitHub states its content-creation limit in requests: "no more than 80 content-generating
  // requests per minute and no more than 500 content-generating requests per hour", for REST
  // and GraphQL alike; its GraphQL point costs are per request too (a mutation is 5 points,
  // whatever it contains). A mutation that creates many issues is one request, so it is
  // charged one unit (../shared/reference/github-platform.md, "Secondary limits"). Nothing
  // documents a per-item count; docs/architecture.md (departure 3) says what happens if
  // GitHub refuses an item for coming too fast.
  return { kind: "write", cost: 1, label: `graphql mutation ${name}` };
}

