import { readFileSync } from "node:fs";
import { createRng } from "../makespan/prng.js";
import { generateDag } from "../makespan/random-dag.js";
import { materialise100, type MaterialiseResult } from "./materialise.js";
import { requestsPerTask, type RequestsPerTask } from "./requests-per-task.js";
import { mergeToDispatch, type MergeToDispatch } from "./round-trips.js";
import { runOnStack, type StackRunResult } from "./stack-run.js";
import { chainTasks, renderTaskList } from "./task-list.js";
import { webhookBurst, type WebhookBurst } from "./webhook-burst.js";

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
  runs: RequestsPerTask[];
  webhooks: RunWebhooks[];
  burst: WebhookBurst | null;
  errors: string[];
}

export interface RoundTripReport {
  chainLength: number;
  allDone: boolean;
  hops: MergeToDispatch[];
  errors: string[];
}

/** The example milestone and a 20-task random plan, to merged; then a webhook burst on the finished stack. */
export async function benchRequests(): Promise<RequestsReport> {
  const text = readFileSync(new URL("../../examples/milestone.md", import.meta.url), "utf8");
  const example = { name: "example milestone", title: /^#\s+(.+)$/m.exec(text)?.[1] ?? "Milestone", body: text.replace(/^#\s+.+\n/, "").trim() };
  const random = { name: "random 20-task plan", title: "Benchmark: 20 random tasks", body: renderTaskList(generateDag(createRng(20), "random", 20).tasks) };
  const report: RequestsReport = { runs: [], webhooks: [], burst: null, errors: [] };
  for (const scenario of [example, random]) {
    try {
      const result = await runOnStack({
        ...scenario,
        after:
          scenario === example
            ? async (stack, captured) => {
                report.burst = await webhookBurst(stack.webhookUrl, captured);
              }
            : undefined,
      });
      report.runs.push(requestsPerTask(result));
      report.webhooks.push(runWebhooks(result));
      if (!result.run.allDone) report.errors.push(`${scenario.name}: not every task was merged before the timeout`);
    } catch (error) {
      report.errors.push(`${scenario.name}: ${describe(error)}`);
    }
  }
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
