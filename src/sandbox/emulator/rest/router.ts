import type { App, Repo, TokenGrant, User } from "../model.js";
import type { Serializer } from "../serialize.js";
import type { World } from "../state.js";

/**
 * A tiny router over GitHub-style templates. `{name}` matches one path segment;
 * `{+name}` matches the rest of the path (refs, file paths and branch names contain
 * slashes and may arrive URL-encoded, e.g. `.github%2Farchitect.yml`).
 */

/** Everything a route handler may use. */
export interface RouteContext {
  world: World;
  ser: Serializer;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The token's grant (null only on JWT-authenticated `/app` routes). */
  grant: TokenGrant | null;
  /** Who is acting: the App's bot user, or the user behind a personal token. */
  actor: User;
  /** The App acting (installation tokens and JWTs), if any. */
  app: App | null;
  /** Set by the server for `/repos/{owner}/{repo}/…` routes, after an access check. */
  repo: Repo | null;
  /** Faults may turn a dispatch into a lost one. */
  dropRun: boolean;
  /** Full URL of this request, for Link headers. */
  url: URL;
  /** The request's Accept header ("" when absent), for routes with custom media types. */
  accept?: string;
}

export interface RouteResult {
  status: number;
  json?: unknown;
  /** A body sent as is instead of JSON (a raw media type), with its content type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

/** How a route authenticates: an App JWT, or an installation/user token. */
export type AuthKind = "jwt" | "token";

export interface Route {
  method: string;
  template: string;
  auth: AuthKind;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
}

/** Routes in registration order; the first match wins. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(method: string, template: string, handler: Handler, auth: AuthKind = "token"): this {
    this.routes.push({ method, template, auth, handler, segments: template.split("/").slice(1) });
    return this;
  }

  /** Find the route for a method and raw (still encoded) pathname. */
  match(method: string, rawPath: string): { route: Route; params: Record<string, string> } | null {
    const parts = rawPath.replace(/\/+$/, "").split("/").slice(1);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { route, params };
    }
    return null;
  }

  /** True when some route has this path (for 404 vs 405-less behaviour: GitHub answers 404). */
  templates(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.startsWith("{+")) {
      const rest = parts.slice(i);
      if (rest.length === 0) return null;
      params[segment.slice(2, -1)] = rest.map(safeDecode).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.startsWith("{")) params[segment.slice(1, -1)] = safeDecode(part);
    else if (segment !== part) return null;
  }
  return parts.length === segments.length ? params : null;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Slice a list by `per_page` (default 30, max 100) and `page`, with GitHub's Link header.
 */
export function paginate<T>(items: T[], ctx: RouteContext): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(ctx.query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.url.toString());
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

/** The repository a route is about (the server has already resolved and checked it). */
export function repoOf(ctx: RouteContext): Repo {
  if (!ctx.repo) throw new Error(`route needs a repository`);
  return ctx.repo;
}

/** A required string field of the JSON body, or a 422 like GitHub's. */
export function str(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  return typeof value === "string" ? value : undefined;
}
