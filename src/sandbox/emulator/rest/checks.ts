import { GitHubApiError, notFound, validationFailed } from "../errors.js";
import type { CheckConclusion, CheckStatus } from "../model.js";
import { repoOf, str, type RouteContext, type Router } from "./router.js";

/** Check runs: only Apps may create them (GitHub answers 403 to user tokens). */
export function checkRoutes(router: Router): void {
  const base = "/repos/{owner}/{repo}";

  router.add("POST", `${base}/check-runs`, (ctx) => {
    const repo = repoOf(ctx);
    const app = requireApp(ctx);
    const name = str(ctx.body, "name");
    const headSha = str(ctx.body, "head_sha");
    if (!name || !headSha) throw validationFailed("Validation Failed", "CheckRun", !name ? "name" : "head_sha", "missing_field");
    const run = ctx.world.createCheckRun(repo, app, {
      name,
      headSha,
      status: str(ctx.body, "status") as CheckStatus | undefined,
      conclusion: str(ctx.body, "conclusion") as CheckConclusion | undefined,
      output: outputOf(ctx.body.output),
      externalId: str(ctx.body, "external_id") ?? null,
      detailsUrl: str(ctx.body, "details_url") ?? null,
    });
    return { status: 201, json: ctx.ser.checkRun(repo, run) };
  });

  router.add("GET", `${base}/check-runs/{check_run_id}`, (ctx) => {
    const repo = repoOf(ctx);
    const run = repo.checkRuns.find((r) => r.id === Number(ctx.params.check_run_id));
    if (!run) throw notFound();
    return { status: 200, json: ctx.ser.checkRun(repo, run) };
  });

  router.add("PATCH", `${base}/check-runs/{check_run_id}`, (ctx) => {
    const repo = repoOf(ctx);
    const app = requireApp(ctx);
    const run = ctx.world.updateCheckRun(
      repo,
      Number(ctx.params.check_run_id),
      {
        name: str(ctx.body, "name"),
        status: str(ctx.body, "status") as CheckStatus | undefined,
        conclusion: str(ctx.body, "conclusion") as CheckConclusion | undefined,
        output: outputOf(ctx.body.output),
        detailsUrl: str(ctx.body, "details_url"),
        externalId: str(ctx.body, "external_id"),
      },
      app,
    );
    return { status: 200, json: ctx.ser.checkRun(repo, run) };
  });

  router.add("GET", `${base}/commits/{+ref}`, (ctx) => {
    const repo = repoOf(ctx);
    const ref = ctx.params.ref!;
    if (!ref.endsWith("/check-runs")) throw notFound();
    const sha = ctx.world.resolveRef(repo, ref.slice(0, -"/check-runs".length));
    if (!sha) throw new GitHubApiError(422, "No commit found for SHA: " + ref.slice(0, -"/check-runs".length));
    let runs = ctx.query.get("filter") === "all" ? ctx.world.checkRunsFor(repo, sha) : ctx.world.latestCheckRunsFor(repo, sha);
    const name = ctx.query.get("check_name");
    const status = ctx.query.get("status");
    if (name) runs = runs.filter((r) => r.name === name);
    if (status) runs = runs.filter((r) => r.status === status);
    return { status: 200, json: { total_count: runs.length, check_runs: runs.map((r) => ctx.ser.checkRun(repo, r)) } };
  });
}

function requireApp(ctx: RouteContext) {
  if (ctx.grant?.kind !== "installation" || !ctx.app) {
    throw new GitHubApiError(403, "You must authenticate via a GitHub App.");
  }
  return ctx.app;
}

function outputOf(raw: unknown): { title?: string | null; summary?: string | null; text?: string | null } | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const o = raw as Record<string, unknown>;
  return { title: (o.title as string) ?? undefined, summary: (o.summary as string) ?? undefined, text: (o.text as string) ?? undefined };
}
