import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRng } from "../makespan/prng.js";
import { generateDag } from "../makespan/random-dag.js";
import { materialise100, type MaterialiseResult } from "./materialise.js";
import { requestsPerTask, type RequestsPerTask } from "./requests-per-task.js";
import { mergeToDispatch, type MergeToDispatch } from "./round-trips.js";
import { runOnStack, type StackRunResult } from "./stack-run.js";
import { chainTasks, renderTaskList } from "./task-list.js";
import { webhookBurst, type WebhookBurst } from "./webhook-burst.js";
import { median, spread, type Spread } from "./stats.js";

/**
 * The figures that need the whole system: the real Probot app against the GitHub
 * emulator with scripted agents, CI and reviewer. Each scenario runs on a fresh sandbox
 * so one scenario's requests never count toward another's.
 */

/** Webhook handling seen during one milestone run. */
export interface RunWebhooks {
  name: string;
  deliveries: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Deliveries ÷ wall seconds of the run: the load a milestone produces, not a capacity. */
  eventsPerSecond: number;
}

export interface RequestsReport {
  /** Every run, example and 20-task plan interleaved. */
  runs: RequestsPerTask[];
  webhooks: RunWebhooks[];
  /** Per scenario: requests per task over the runs that merged every task. */
  perTask: Record<string, Spread>;
  /** Per scenario: round trips from `/architect plan` to the first sub-issue and to the first dispatch. */
  planPath: Record<string, { toSubIssues: Spread; toFirstDispatch: Spread; path: string[] }>;
  errors: string[];
}

export interface RoundTripReport {
  chainLength: number;
  allDone: boolean;
  hops: MergeToDispatch[];
  errors: string[];
}

export interface WebhooksReport {
  burst: WebhookBurst | null;
  errors: string[];
}

export interface AdvanceOnReport {
  /** Sandbox makespan (plan comment to last merge) of the example, per setting, per run. */
  merge: number[];
  checks: number[];
  /** Median checks ÷ median merge. */
  ratio: number;
  errors: string[];
}

/** How many times each sandbox scenario is run (`BENCH_RUNS`, default 10). */
export function benchRuns(): number {
  const n = Number(process.env.BENCH_RUNS ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

function exampleScenario() {
  const text = readFileSync(new URL("../../examples/milestone.md", import.meta.url), "utf8");
  return { name: "example milestone", title: /^#\s+(.+)$/m.exec(text)?.[1] ?? "Milestone", body: text.replace(/^#\s+.+\n/, "").trim() };
}

/** The example milestone and a 20-task random plan, to merged, `runs` times each, alternating. */
export async function benchRequests(runs = benchRuns()): Promise<RequestsReport> {
  const example = exampleScenario();
  const random = { name: "random 20-task plan", title: "Benchmark: 20 random tasks", body: renderTaskList(generateDag(createRng(20), "random", 20).tasks) };
  const report: RequestsReport = { runs: [], webhooks: [], perTask: {}, planPath: {}, errors: [] };
  const plans: Record<string, { sub: number[]; dispatch: number[]; path: string[] }> = {};
  for (let i = 0; i < runs; i++) {
    for (const scenario of [example, random]) {
      try {
        const result = await runOnStack(scenario);
        const counted = requestsPerTask(result);
        report.runs.push(counted);
        report.webhooks.push(runWebhooks(result));
        if (!result.run.allDone) report.errors.push(`${scenario.name} run ${i + 1}: not every task was merged before the timeout`);
        const plan = (plans[scenario.name] ??= { sub: [], dispatch: [], path: [] });
        if (result.planPath.toSubIssues !== null) plan.sub.push(result.planPath.toSubIssues);
        if (result.planPath.toFirstDispatch !== null) plan.dispatch.push(result.planPath.toFirstDispatch);
        if (plan.path.length === 0) plan.path = result.planPath.pathToFirstDispatch;
      } catch (error) {
        report.errors.push(`${scenario.name} run ${i + 1}: ${describe(error)}`);
      }
    }
  }
  for (const name of [example.name, random.name]) {
    report.perTask[name] = spread(report.runs.filter((r) => r.name === name && r.allDone).map((r) => r.perTask));
    const plan = plans[name];
    if (plan) report.planPath[name] = { toSubIssues: spread(plan.sub), toFirstDispatch: spread(plan.dispatch), path: plan.path };
  }
  return report;
}

/** One example run, then the burst against the finished stack and a bare Probot app, out of process. */
export async function benchWebhooks(): Promise<WebhooksReport> {
  const secret = randomBytes(16).toString("hex");
  const report: WebhooksReport = { burst: null, errors: [] };
  try {
    await runOnStack({
      ...exampleScenario(),
      stack: { webhookSecret: secret },
      after: async (stack, captured) => {
        report.burst = await webhookBurst(stack.webhookUrl, secret, captured);
      },
    });
    if (!report.burst) report.errors.push("no deliveries were captured to replay");
  } catch (error) {
    report.errors.push(describe(error));
  }
  return report;
}

/** The example with `advance_on: merge` and with `advance_on: checks`, alternating, `runs` times each. */
export async function benchAdvanceOn(runs = Math.max(3, Math.ceil(benchRuns() / 2))): Promise<AdvanceOnReport> {
  const report: AdvanceOnReport = { merge: [], checks: [], ratio: NaN, errors: [] };
  for (let i = 0; i < runs; i++) {
    for (const setting of ["merge", "checks"] as const) {
      try {
        const result = await runOnStack({ ...exampleScenario(), name: `example, advance_on ${setting}`, stack: { repoConfig: `advance_on: ${setting}\n` } });
        if (result.run.allDone) report[setting].push(result.run.makespanMs);
        else report.errors.push(`advance_on ${setting} run ${i + 1}: not every task was merged before the timeout`);
      } catch (error) {
        report.errors.push(`advance_on ${setting} run ${i + 1}: ${describe(error)}`);
      }
    }
  }
  report.ratio = median(report.checks) / median(report.merge);
  return report;
}

/** A chain of four tasks: three merge → dispatch hops with nothing else going on. */
export async function benchRoundTrips(chainLength = 4): Promise<RoundTripReport> {
  try {
    const result = await runOnStack({ name: "chain", title: `Benchmark: a chain of ${chainLength}`, body: renderTaskList(chainTasks(chainLength)) });
    const hops = mergeToDispatch(result);
    const errors = result.run.allDone ? [] : ["the chain did not finish before the timeout"];
    if (hops.length < chainLength - 1) errors.push(`found ${hops.length} merge → dispatch hops, expected ${chainLength - 1}`);
    return { chainLength, allDone: result.run.allDone, hops, errors };
  } catch (error) {
    return { chainLength, allDone: false, hops: [], errors: [describe(error)] };
  }
}

/** The 100-task plan under the secondary limits. */
export async function benchMaterialise(): Promise<{ result: MaterialiseResult | null; errors: string[] }> {
  try {
    const result = await materialise100();
    return { result, errors: result.complete ? [] : [`materialised ${result.subIssuesCreated}/${result.tasks} sub-issues and ${result.linksCreated}/${result.edges} links before the timeout`] };
  } catch (error) {
    return { result: null, errors: [describe(error)] };
  }
}

function runWebhooks(result: StackRunResult): RunWebhooks {
  return { name: result.name, ...result.webhooks, eventsPerSecond: result.webhooks.deliveries / result.wallSeconds };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
