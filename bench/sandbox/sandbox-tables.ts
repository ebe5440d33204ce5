import { formatTable, ratio } from "../report/table.js";
import type { MaterialiseResult } from "./materialise.js";
import type { RequestsReport, RoundTripReport } from "./sandbox-bench.js";

/** Printed sections for the sandbox figures; problems are printed, never hidden. */

const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const n2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const minutes = (ms: number) => (Number.isFinite(ms) ? `${(ms / 60_000).toFixed(2)} min` : "n/a");
const problems = (errors: readonly string[]) => (errors.length === 0 ? [] : ["", ...errors.map((e) => `! ${e}`)]);

export function renderRequests(report: RequestsReport): string {
  const summary = formatTable(
    ["scenario", "tasks", "all merged", "requests", "per task (budget 6)", "GraphQL q/m", "content-creating"],
    report.runs.map((r) => [r.name, String(r.tasks), r.allDone ? "yes" : "NO", String(r.total), n2(r.perTask), `${r.graphqlQueries}/${r.graphqlMutations}`, String(r.contentCreating)]),
  );
  const endpoints = [...new Set(report.runs.flatMap((r) => Object.keys(r.byEndpoint)))];
  const byEndpoint = formatTable(
    ["endpoint (requests per task)", ...report.runs.map((r) => r.name)],
    endpoints.map((e) => [e, ...report.runs.map((r) => n2(r.byEndpoint[e] ?? 0))]),
  );
  const hooks = formatTable(
    ["webhooks during the run", "deliveries", "non-2xx", "p50 ms", "p99 ms", "max ms", "events/s"],
    [
      ...report.webhooks.map((w) => [w.name, String(w.deliveries), String(w.non2xx), n1(w.p50Ms), n1(w.p99Ms), n1(w.maxMs), n1(w.eventsPerSecond)]),
      ...(report.burst ? [[`burst replay (${report.burst.concurrency} in flight)`, String(report.burst.deliveries), String(report.burst.non2xx), n1(report.burst.p50Ms), n1(report.burst.p99Ms), "", n1(report.burst.eventsPerSecond)]] : []),
    ],
  );
  return [summary, "", byEndpoint, "", hooks, ...problems(report.errors)].join("\n");
}

export function renderRoundTrips(report: RoundTripReport): string {
  const rows = report.hops.map((h) => [`PR #${h.pull}`, String(h.requests), String(h.roundTrips), `${(h.sandboxMs / 1000).toFixed(1)} s`]);
  const paths = [...new Set(report.hops.map((h) => h.path.join(" → ")))].map((p) => `  path: ${p}`);
  const worst = Math.max(0, ...report.hops.map((h) => h.roundTrips));
  return [
    `Chain of ${report.chainLength}: requests from a dependency's merge to its dependent's dispatch (budget 3 round trips; worst ${report.hops.length ? worst : "n/a"})`,
    formatTable(["merged", "requests", "round trips", "sandbox time"], rows),
    ...paths,
    ...problems(report.errors),
  ].join("\n");
}

export function renderMaterialise(result: MaterialiseResult | null, errors: readonly string[]): string {
  if (!result) return ["100-task plan under secondary limits: not measured", ...problems(errors)].join("\n");
  return [
    `${result.tasks}-task plan (${result.edges} dependencies) under 80/min and 500/h, clock ×${result.speed}`,
    formatTable(
      ["limit errors (target 0)", "content-creating", "elapsed", "minimum (n ÷ 80/min)", "ratio", "sliding-window minimum", "wall s"],
      [[String(result.limitErrors), String(result.contentCreating), minutes(result.elapsedMs), minutes(result.minimumMs), ratio(result.ratio), minutes(result.slidingMinimumMs), n1(result.wallSeconds)]],
    ),
    ...problems(errors),
  ].join("\n");
}
