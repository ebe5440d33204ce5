import { createHash } from "node:crypto";
import type { GraphQLResolveInfo } from "graphql";
import type { Commit, Repo } from "../model.js";
import type { World } from "../state.js";
import type { GraphqlAuth } from "../server.js";

/**
 * Shared pieces of the GraphQL resolvers: the per-request context, wrapper objects for
 * things the world stores implicitly (refs, trees, blobs, commits-in-a-repo), type
 * resolution for interfaces and unions, and GitHub-style connections.
 */

/** What every resolver gets. `repoOf` remembers the repository of objects that do not point to it. */
export interface ResolverContext {
  world: World;
  auth: GraphqlAuth;
  repoOf: WeakMap<object, Repo>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown;
export type ResolverMap = Record<string, Record<string, Resolver>>;

/** A git ref; `name` is relative to the prefix it was listed under, as GitHub answers. */
export class RefView {
  constructor(
    readonly repo: Repo,
    readonly branch: string,
    readonly name: string,
    readonly prefix: string,
  ) {}
}

/** A commit seen from a repository (check runs and trees need the repository). */
export class CommitView {
  constructor(
    readonly repo: Repo,
    readonly commit: Commit,
  ) {}
}

/** A directory of a commit's flat file map; `path` is "" for the root. */
export class TreeView {
  constructor(
    readonly repo: Repo,
    readonly commit: Commit,
    readonly path: string,
  ) {}
}

export class BlobView {
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}
}

export class TreeEntryView {
  constructor(
    readonly tree: TreeView,
    readonly name: string,
    readonly type: "blob" | "tree",
  ) {}
  get path(): string {
    return this.tree.path ? `${this.tree.path}/${this.name}` : this.name;
  }
}

/** A git-ish object id for blobs and trees (the world only stores commits). */
export function fakeOid(...parts: string[]): string {
  return createHash("sha1").update(parts.join("\0")).digest("hex");
}

/** GitHub's ISO format: seconds precision, `Z`. */
export function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The concrete GraphQL type of a value returned at an interface or union position. */
export function typeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.__typename === "string") return v.__typename;
  if (value instanceof RefView) return "Ref";
  if (value instanceof CommitView) return "Commit";
  if (value instanceof TreeView) return "Tree";
  if (value instanceof BlobView) return "Blob";
  if ("subIssues" in v && "blockedBy" in v) return "Issue";
  if ("headRef" in v && "issue" in v) return "PullRequest";
  if ("issueNumber" in v) return "IssueComment";
  if ("login" in v && "type" in v) return v.type === "Bot" ? "Bot" : v.type === "Organization" ? "Organization" : "User";
  if ("slug" in v && "botUser" in v) return "App";
  if ("suite" in v && "headSha" in v) return "CheckRun";
  if ("app" in v && "headSha" in v) return "CheckSuite";
  if ("color" in v && "isDefault" in v) return "Label";
  if ("commitId" in v && "state" in v) return "PullRequestReview";
  if ("fullName" in v && "branches" in v) return "Repository";
  return undefined;
}

const MAX_PAGE = 100;

/** Pagination arguments as GitHub takes them. */
export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString("base64");
const indexOf = (cursor: string) => Number(Buffer.from(cursor, "base64").toString("utf8").split(":")[2]);

/** Whether the query selects `nodes` or `edges` (GitHub only then insists on first/last). */
function selectsItems(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some((s) => s.kind === "Field" && (s.name.value === "nodes" || s.name.value === "edges")),
  );
}

/**
 * A connection over `items` with GitHub's rules: `first`/`last` between 1 and 100, and one of
 * them required when nodes or edges are read.
 */
export function connection<T>(items: readonly T[], args: object, info: GraphQLResolveInfo, extra: Record<string, unknown> = {}) {
  const page = args as PageArgs;
  const field = info.fieldName;
  for (const key of ["first", "last"] as const) {
    const n = page[key];
    if (n !== undefined && n !== null && (n < 0 || n > MAX_PAGE)) {
      throw new Error(`Requesting ${n} records on the \`${field}\` connection exceeds the \`${key}\` limit of ${MAX_PAGE} records.`);
    }
  }
  if ((page.first === undefined || page.first === null) && (page.last === undefined || page.last === null) && selectsItems(info)) {
    throw new Error(`You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`);
  }
  let start = 0;
  let end = items.length;
  if (page.after) start = Math.max(start, indexOf(page.after) + 1);
  if (page.before) end = Math.min(end, indexOf(page.before));
  if (typeof page.first === "number") end = Math.min(end, start + page.first);
  if (typeof page.last === "number") start = Math.max(start, end - page.last);
  const window = items.slice(start, end).map((node, i) => ({ node, cursor: cursorOf(start + i) }));
  return {
    nodes: window.map((e) => e.node),
    edges: window,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: window[0]?.cursor ?? null,
      endCursor: window[window.length - 1]?.cursor ?? null,
    },
    ...extra,
  };
}

/** An error GraphQL clients see with GitHub's `type`, e.g. NOT_FOUND. */
export class GraphqlTypedError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "GraphqlTypedError";
  }
}
