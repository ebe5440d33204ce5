import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseGraphql } from "graphql";
import { createGraphqlHandler } from "./graphql/handler.js";
import type { Clock } from "../../shared/clock.js";
import { verifyAppJwt } from "./auth.js";
import { GitHubApiError } from "./errors.js";
import { Faults, type FaultSpec } from "./faults.js";
import type { App, Repo, TokenGrant, User } from "./model.js";
import { SecondaryRateLimiter, type SecondaryLimits } from "./rate-limit.js";
import { RequestLog } from "./request-log.js";
import { actionRoutes } from "./rest/actions.js";
import { appRoutes } from "./rest/apps.js";
import { checkRoutes } from "./rest/checks.js";
import { issueRoutes } from "./rest/issues.js";
import { pullRoutes } from "./rest/pulls.js";
import { repoRoutes } from "./rest/repos.js";
import { Router, type RouteContext, type RouteResult } from "./rest/router.js";
import { Serializer } from "./serialize.js";
import { World } from "./state.js";

/** What the GraphQL handler (src/sandbox/emulator/graphql/handler.ts) is given per request. */
export interface GraphqlAuth {
  grant: TokenGrant;
  actor: User;
  app: App | null;
}

/** `createGraphqlHandler(world)` returns one of these. */
export type GraphqlHandler = (
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  auth: GraphqlAuth,
) => Promise<{ status: number; json: unknown; headers?: Record<string, string> }>;

export interface EmulatorOptions {
  clock: Clock;
  /** Use an existing world (e.g. one the test already seeded). */
  world?: World;
  port?: number;
  /** Enforce GitHub's secondary (content-creation) rate limits. Default false. */
  rateLimits?: boolean;
  secondaryLimits?: SecondaryLimits;
  /** Override the GraphQL handler; by default `graphql/handler.ts` is loaded when present. */
  graphqlHandler?: (world: World) => GraphqlHandler;
}

export interface Emulator {
  /** Base URL for Octokit's `baseUrl` (no trailing slash). */
  url: string;
  state: World;
  requestLog: RequestLog;
  faults: Faults;
  rateLimiter: SecondaryRateLimiter;
  /** Shorthand for `faults.add`. */
  addFault(spec: FaultSpec): number;
  close(): Promise<void>;
}

const PRIMARY_LIMIT = 5000;

/**
 * Serve the world over HTTP with GitHub's REST routes and `/graphql`, on 127.0.0.1.
 * Every request is authenticated, logged by route template, counted against the
 * secondary rate limit when it creates content, and may be hit by an injected fault.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const world = options.world ?? new World({ clock: options.clock });
  const ser = new Serializer(world);
  const router = new Router();
  appRoutes(router);
  issueRoutes(router);
  repoRoutes(router);
  pullRoutes(router);
  checkRoutes(router);
  actionRoutes(router);
  const requestLog = new RequestLog();
  const faults = new Faults();
  const rateLimiter = new SecondaryRateLimiter(options.rateLimits ?? false, options.secondaryLimits);
  const primaryUsed = new Map<string, { windowStart: number; used: number }>();
  // Built now, not on the first query: parsing GitHub's schema takes a second or two, which
  // must not land inside a measured run.
  const graphql: GraphqlHandler = (options.graphqlHandler ?? createGraphqlHandler)(world);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const at = options.clock.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    let endpoint = `${method} ${url.pathname}`;
    let actorLogin: string | null = null;
    let contentCreating = false;
    let faultName: string | null = null;
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": randomUUID().toUpperCase().replace(/-/g, "").slice(0, 20),
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
    };

    // Even a 401 carries rate-limit headers on GitHub; overwritten below once the caller is known.
    Object.assign(headers, primaryHeaders(primaryUsed, "anonymous", "core", options.clock.now()));
    const send = (status: number, json: unknown, extra: Record<string, string> = {}) => {
      const payload = json === undefined || status === 204 ? "" : JSON.stringify(json);
      res.writeHead(status, { ...headers, ...extra });
      res.end(payload);
      requestLog.record({ method, endpoint, path: url.pathname, status, at, durationMs: Date.now() - started, actor: actorLogin, contentCreating, fault: faultName });
    };

    try {
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return send(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest" });
        }
      }
      const isGraphql = method === "POST" && url.pathname.replace(/\/+$/, "") === "/graphql";
      const matched = isGraphql ? null : router.match(method, url.pathname);
      if (!isGraphql && !matched) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
      const template = isGraphql ? "/graphql" : matched!.route.template;
      let graphqlKind: "query" | "mutation" | null = null;
      if (isGraphql) {
        graphqlKind = operationKind(String(body.query ?? ""), body.operationName as string | undefined);
        endpoint = `POST /graphql (${graphqlKind})`;
      } else endpoint = `${method} ${template}`;

      // ---- authentication
      const authorization = req.headers.authorization ?? "";
      const credential = /^(?:token|bearer)\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? "";
      let grant: TokenGrant | null = null;
      let app: App | null = null;
      if (!isGraphql && matched!.route.auth === "jwt") {
        app = credential ? verifyAppJwt(world, credential) : null;
        if (!app) return send(401, { message: "A JSON web token could not be decoded", documentation_url: "https://docs.github.com/rest" });
        actorLogin = app.botUser.login;
      } else {
        grant = credential ? world.resolveToken(credential, Date.now()) : null;
        if (!grant) return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
        app = grant.kind === "installation" ? grant.installation.app : null;
        actorLogin = world.actorOf(grant).login;
      }
      const rateKey = actorLogin;
      Object.assign(headers, primaryHeaders(primaryUsed, rateKey, isGraphql ? "graphql" : "core", options.clock.now()));

      // ---- repository access: GitHub hides what you cannot see behind a 404
      let repo: Repo | null = null;
      const params = matched?.params ?? {};
      if (grant && params.owner && params.repo) {
        repo = world.getRepo(params.owner, params.repo);
        if (!repo || !canSee(world, grant, repo)) throw new GitHubApiError(404, "Not Found");
      }

      const isTokenMint = template === "/app/installations/{installation_id}/access_tokens";
      contentCreating = isGraphql ? graphqlKind === "mutation" : method !== "GET" && method !== "HEAD" && !isTokenMint;

      // ---- faults, then the secondary limit
      const fault = faults.take(method, template, graphqlKind, isGraphql ? String(body.query ?? "") : "");
      faultName = fault?.kind ?? null;
      if (fault?.kind === "status") {
        return send(fault.status, fault.body ?? { message: `Injected fault ${fault.status}` }, fault.headers ?? {});
      }
      if (contentCreating) {
        const verdict = rateLimiter.take(rateKey, options.clock.now());
        if (!verdict.ok) {
          requestLog.secondaryRateLimited++;
          return send(
            403,
            {
              message:
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
              documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
              status: "403",
            },
            { "retry-after": String(verdict.retryAfterSeconds) },
          );
        }
      }
      if (fault?.kind === "hang") await options.clock.sleep(fault.ms);

      // ---- the request itself
      let result: RouteResult;
      if (isGraphql) {
        {
          const out = await graphql(
            { query: String(body.query ?? ""), variables: body.variables as Record<string, unknown> | undefined, operationName: body.operationName as string | undefined },
            { grant: grant!, actor: world.actorOf(grant!), app },
          );
          result = { status: out.status, json: out.json, headers: out.headers };
        }
      } else {
        const ctx: RouteContext = {
          world,
          ser,
          params,
          query: url.searchParams,
          body,
          grant,
          actor: grant ? world.actorOf(grant) : app!.botUser,
          app,
          repo,
          dropRun: fault?.kind === "drop-run",
          url: new URL(url.pathname + url.search, world.apiUrl + "/"),
          accept: String(req.headers.accept ?? ""),
        };
        result = await matched!.route.handler(ctx);
      }
      if (fault?.kind === "commit-then-fail") {
        return send(fault.status ?? 502, { message: "Server Error" });
      }
      if (result.text !== undefined) {
        res.writeHead(result.status, { ...headers, ...result.headers });
        res.end(result.text);
        requestLog.record({ method, endpoint, path: url.pathname, status: result.status, at, durationMs: Date.now() - started, actor: actorLogin, contentCreating, fault: faultName });
        return;
      }
      return send(result.status, result.json, result.headers ?? {});
    } catch (error) {
      if (error instanceof GitHubApiError) return send(error.status, error.body, error.headers);
      return send(500, { message: `Sandbox error: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  world.apiUrl = url;

  return {
    url,
    state: world,
    requestLog,
    faults,
    rateLimiter,
    addFault: (spec) => faults.add(spec),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function canSee(world: World, grant: TokenGrant, repo: Repo): boolean {
  if (grant.kind === "installation") return grant.installation.repos.includes(repo);
  return repo.visibility === "public" || world.permissionOf(repo, grant.user.login) !== "none";
}

/** "query" or "mutation" for the operation that will run; unparsable documents count as queries. */
function operationKind(query: string, operationName?: string): "query" | "mutation" {
  try {
    const document = parseGraphql(query);
    const operations = document.definitions.filter((d) => d.kind === "OperationDefinition");
    const chosen = operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
    return chosen?.operation === "mutation" ? "mutation" : "query";
  } catch {
    return /^\s*mutation\b/.test(query) ? "mutation" : "query";
  }
}

function primaryHeaders(
  used: Map<string, { windowStart: number; used: number }>,
  actor: string,
  resource: "core" | "graphql",
  now: number,
): Record<string, string> {
  const key = `${actor}/${resource}`;
  let entry = used.get(key);
  if (!entry || now - entry.windowStart >= 3_600_000) {
    entry = { windowStart: now, used: 0 };
    used.set(key, entry);
  }
  entry.used++;
  return {
    "x-ratelimit-limit": String(PRIMARY_LIMIT),
    "x-ratelimit-remaining": String(Math.max(0, PRIMARY_LIMIT - entry.used)),
    "x-ratelimit-used": String(entry.used),
    "x-ratelimit-reset": String(Math.floor((entry.windowStart + 3_600_000) / 1000)),
    "x-ratelimit-resource": resource,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
