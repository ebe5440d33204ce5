import { GitHubApiError, unprocessable } from "../errors.js";
import { paginate, repoOf, str, type Router } from "./router.js";

/** workflow_dispatch, runs and cancel. */
export function actionRoutes(router: Router): void {
  const base = "/repos/{owner}/{repo}";

  router.add("GET", `${base}/actions/workflows`, (ctx) => {
    const repo = repoOf(ctx);
    const workflows = [...repo.workflows.values()].map((w) => ({
      id: w.id,
      node_id: w.nodeId,
      name: w.name,
      path: w.path,
      state: w.state,
      url: `${ctx.world.apiUrl}/repos/${repo.fullName}/actions/workflows/${w.id}`,
    }));
    return { status: 200, json: { total_count: workflows.length, workflows } };
  });

  router.add("POST", `${base}/actions/workflows/{workflow_id}/dispatches`, (ctx) => {
    const repo = repoOf(ctx);
    const ref = str(ctx.body, "ref");
    if (!ref) throw unprocessable("Invalid request.\n\n\"ref\" wasn't supplied.");
    const inputs = (ctx.body.inputs ?? {}) as Record<string, unknown>;
    if (typeof inputs !== "object" || Array.isArray(inputs)) throw unprocessable("Invalid request.\n\nFor 'properties/inputs', is not an object.");
    const run = ctx.world.dispatchWorkflow(repo, ctx.params.workflow_id!, ref, inputs, ctx.actor, { dropRun: ctx.dropRun });
    if (ctx.body.return_run_details !== true) return { status: 204 };
    // A lost dispatch (fault) still answers success, with an id nobody will ever see run.
    const runId = run?.id ?? ctx.world.ids.id();
    return {
      status: 200,
      json: {
        workflow_run_id: runId,
        run_url: `${ctx.world.apiUrl}/repos/${repo.fullName}/actions/runs/${runId}`,
        html_url: `${ctx.world.htmlUrl}/${repo.fullName}/actions/runs/${runId}`,
      },
    };
  });

  const listRuns = (workflowFilter: boolean) => (ctx: Parameters<Parameters<Router["add"]>[2]>[0]) => {
    const repo = repoOf(ctx);
    let runs = [...repo.runs.values()];
    if (workflowFilter) {
      const workflow = ctx.world.findWorkflow(repo, ctx.params.workflow_id!);
      if (!workflow) throw new GitHubApiError(404, "Not Found");
      runs = runs.filter((r) => r.workflow === workflow);
    }
    const q = ctx.query;
    const event = q.get("event");
    const status = q.get("status");
    const branch = q.get("branch");
    const headSha = q.get("head_sha");
    const actor = q.get("actor");
    const created = q.get("created");
    if (event) runs = runs.filter((r) => r.event === event);
    if (status) runs = runs.filter((r) => r.status === status || r.conclusion === status);
    if (branch) runs = runs.filter((r) => r.headBranch === branch);
    if (headSha) runs = runs.filter((r) => r.headSha === headSha);
    if (actor) runs = runs.filter((r) => r.actor.login.toLowerCase() === actor.toLowerCase());
    if (created) runs = runs.filter(createdFilter(created));
    runs.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    const { page, headers } = paginate(runs, ctx);
    return { status: 200, json: { total_count: runs.length, workflow_runs: page.map((r) => ctx.ser.workflowRun(repo, r)) }, headers };
  };
  router.add("GET", `${base}/actions/runs`, listRuns(false));
  router.add("GET", `${base}/actions/workflows/{workflow_id}/runs`, listRuns(true));

  router.add("GET", `${base}/actions/runs/{run_id}`, (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: ctx.ser.workflowRun(repo, ctx.world.getRun(repo, Number(ctx.params.run_id))) };
  });

  router.add("POST", `${base}/actions/runs/{run_id}/cancel`, (ctx) => {
    const repo = repoOf(ctx);
    ctx.world.cancelRun(repo, ctx.world.getRun(repo, Number(ctx.params.run_id)));
    return { status: 202, json: {} };
  });
}

/** GitHub's `created` qualifier: `>=ISO`, `<=ISO`, `>ISO`, `<ISO`, `A..B` or a date. */
function createdFilter(expr: string): (run: { createdAt: number }) => boolean {
  const range = /^(.+)\.\.(.+)$/.exec(expr);
  if (range) {
    const from = Date.parse(range[1]!);
    const to = Date.parse(range[2]!);
    return (r) => r.createdAt >= from && r.createdAt <= to;
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(expr)!;
  const at = Date.parse(op[2]!);
  switch (op[1]) {
    case ">=":
      return (r) => r.createdAt >= at;
    case "<=":
      return (r) => r.createdAt <= at;
    case ">":
      return (r) => r.createdAt > at;
    case "<":
      return (r) => r.createdAt < at;
    default:
      return (r) => r.createdAt >= at && r.createdAt < at + 86_400_000;
  }
}
