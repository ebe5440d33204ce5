import { formatTable, ratio } from "../report/table.js";
import type { MaterialiseResult } from "./materialise.js";
import type { AdvanceOnReport, RequestsReport, RoundTripReport, WebhooksReport } from "./sandbox-bench.js";
import { median, type Spread } from "./stats.js";

/** Printed sections for the sandbox figures; problems are printed, never hidden. */

const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const n2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const minutes = (ms: number) => (Number.isFinite(ms) ? `${(ms / 60_000).toFixed(2)} min` : "n/a");
const problems = (errors: readonly string[]) => (errors.length === 0 ? [] : ["", ...errors.map((e) => `! ${e}`)]);

const spreadText = (x: Spread, digits = 2) => `median ${x.median.toFixed(digits)} (min ${x.min.toFixed(digits)}, max ${x.max.toFixed(digits)}) over ${x.runs} runs`;

export function renderRequests(report: RequestsReport): string {
  const summary = formatTable(
    ["scenario", "tasks", "all merged", "requests", "per task (budget 6)", "GraphQL q/m", "content-creating"],
    report.runs.map((r) => [r.name, String(r.tasks), r.allDone ? "yes" : "NO", String(r.total), n2(r.perTask), `${r.graphqlQueries}/${r.graphqlMutations}`, String(r.contentCreating)]),
  );
  const firsts = [...new Map(report.runs.map((r) => [r.name, r] as const)).values()];
  const endpoints = [...new Set(firsts.flatMap((r) => Object.keys(r.byEndpoint)))];
  const byEndpoint = formatTable(
    ["endpoint (requests per task, last run)", ...firsts.map((r) => r.name)],
    endpoints.map((e) => [e, ...firsts.map((r) => n2(r.byEndpoint[e] ?? 0))]),
  );
  const hooks = formatTable(
    ["webhooks during the run", "deliveries", "non-2xx", "p50 ms", "p99 ms", "max ms", "events/s"],
    report.webhooks.map((w) => [w.name, String(w.deliveries), String(w.non2xx), n1(w.p50Ms), n1(w.p99Ms), n1(w.maxMs), n1(w.eventsPerSecond)]),
  );
  const plans = Object.entries(report.planPath).map(
    ([name, p]) => `${name}: round trips /architect plan -> sub-issues ${spreadText(p.toSubIssues, 0)}; -> first dispatch ${spreadText(p.toFirstDispatch, 0)}\n  path: ${p.path.join(" → ")}`,
  );
  return [summary, "", byEndpoint, "", hooks, "", ...plans, ...problems(report.errors)].join("\n");
}

/** The grep-able lines of the requests section (issue 14's forms). */
export function requestsSummaryLines(report: RequestsReport): string[] {
  const lines: string[] = [];
  const example = report.perTask["example milestone"];
  const random = report.perTask["random 20-task plan"];
  if (example) lines.push(`requests/task example: ${spreadText(example)}`);
  if (random) lines.push(`requests/task 20-task: ${spreadText(random)}`);
  const plan = report.planPath["example milestone"];
  if (plan) {
    lines.push(`round trips plan->sub-issues: ${plan.toSubIssues.median} (min ${plan.toSubIssues.min}, max ${plan.toSubIssues.max}) over ${plan.toSubIssues.runs} runs`);
    lines.push(`round trips plan->first dispatch: ${plan.toFirstDispatch.median} (min ${plan.toFirstDispatch.min}, max ${plan.toFirstDispatch.max}) over ${plan.toFirstDispatch.runs} runs`);
  }
  return lines;
}

export function renderWebhooks(report: WebhooksReport): string {
  const b = report.burst;
  if (!b) return ["webhook burst: not measured", ...problems(report.errors)].join("\n");
  const rows = [
    ...b.app.map((m, i) => [`Architect, round ${i + 1}`, String(m.deliveries), String(m.non2xx), n1(m.p50Ms), n1(m.p99Ms), n1(m.eventsPerSecond)]),
    ...b.bare.map((m, i) => [`bare Probot (no-op handler), round ${i + 1}`, String(m.deliveries), String(m.non2xx), n1(m.p50Ms), n1(m.p99Ms), n1(m.eventsPerSecond)]),
  ];
  return [
    `Burst replay of captured deliveries, ${b.app[0]?.concurrency ?? 4} in flight, load generator in a separate process (bench/sandbox/burst-worker.mjs), Architect and a bare Probot app alternating`,
    formatTable(["server", "deliveries", "non-2xx", "p50 ms", "p99 ms", "events/s"], rows),
    ...problems(report.errors),
  ].join("\n");
}

export function webhooksSummaryLines(report: WebhooksReport): string[] {
  const b = report.burst;
  if (!b) return ["webhooks: not measured"];
  return [`webhooks: ${Math.round(b.eventsPerSecond)}/s p99 ${b.p99Ms.toFixed(1)} ms (bare probot ${Math.round(b.bareEventsPerSecond)}/s, ratio ${b.ratio.toFixed(2)})`];
}

export function renderAdvanceOn(report: AdvanceOnReport): string {
  const row = (name: string, xs: number[]) => [name, String(xs.length), minutes(Math.min(...xs)), minutes(median(xs)), minutes(Math.max(...xs))];
  return [
    "The example milestone with advance_on: merge and advance_on: checks (sandbox makespan, plan comment to last merge)",
    formatTable(["advance_on", "runs", "min", "median", "max"], [row("merge", report.merge), row("checks", report.checks)]),
    ...problems(report.errors),
  ].join("\n");
}

export function advanceOnSummaryLines(report: AdvanceOnReport): string[] {
  return [`makespan advance_on checks/merge: ratio ${report.ratio.toFixed(2)} (median ${minutes(median(report.checks))} / ${minutes(median(report.merge))}, ${report.checks.length}+${report.merge.length} runs)`];
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
      ["limit errors (target 0)", "content-creating", "elapsed", "minimum: max(n ÷ 80/min, (n − 1) s)", "ratio", "n ÷ 80/min alone", "sliding-window minimum", "wall s"],
      [[String(result.limitErrors), String(result.contentCreating), minutes(result.elapsedMs), minutes(result.minimumMs), ratio(result.ratio), minutes(result.contentMinimumMs), minutes(result.slidingMinimumMs), n1(result.wallSeconds)]],
    ),
    ...problems(errors),
  ].join("\n");
}

export function materialiseSummaryLines(result: MaterialiseResult | null): string[] {
  if (!result) return ["rate-limits 100-task: not measured"];
  return [`rate-limits 100-task: ratio ${result.ratio.toFixed(2)}, limit errors ${result.limitErrors}`];
}
