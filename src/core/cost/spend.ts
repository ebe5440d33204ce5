import type { ArchitectConfig } from "../config/config-schema.js";
import type { MilestoneControl, Snapshot, TaskFacts } from "../decide/snapshot.js";
import type { RunCost } from "../markers/markers.js";

/**
 * What a milestone has cost: planning (the control record's usage) plus every agent run
 * whose cost its runner reported in the task PR's run marker. A run's dollars are the
 * tool's own figure when it gives one (Claude Code), else its tokens priced with the
 * `prices` table by model (Codex); a run whose model has no price counts as $0 and is
 * named, so the status comment can say which price is missing.
 */

type Prices = ArchitectConfig["prices"];

/** Dollars for one run, or null when neither the tool nor the price table says. */
export function runUsd(cost: RunCost, prices: Prices): number | null {
  if (cost.usd !== null) return cost.usd;
  const price = Object.hasOwn(prices, cost.model) ? prices[cost.model] : undefined;
  if (!price) return null;
  return (cost.inputTokens * price.input_per_mtok + cost.outputTokens * price.output_per_mtok) / 1_000_000;
}

/** One task's agent spend. */
export interface TaskSpend {
  usd: number;
  /** Runs with a reported cost. */
  runs: number;
  /** Models of runs that could not be priced. */
  unpriced: string[];
}

/** The agent runs of one task, each counted once (by run key). */
export function taskSpend(task: Pick<TaskFacts, "pull">, prices: Prices): TaskSpend {
  const byRun = new Map<string, RunCost>();
  for (const cost of task.pull?.costs ?? []) byRun.set(cost.runKey, cost);
  let usd = 0;
  const unpriced = new Set<string>();
  for (const cost of byRun.values()) {
    const value = runUsd(cost, prices);
    if (value === null) unpriced.add(cost.model || cost.tool);
    else usd += value;
  }
  return { usd, runs: byRun.size, unpriced: [...unpriced].sort() };
}

/** The milestone's spend so far. */
export interface MilestoneSpend {
  planningUsd: number;
  agentsUsd: number;
  totalUsd: number;
  unpriced: string[];
}

export function milestoneSpend(snapshot: Pick<Snapshot, "tasks">, control: Pick<MilestoneControl, "usage"> | null, prices: Prices): MilestoneSpend {
  const planningUsd = (control?.usage ?? []).reduce((sum, u) => sum + u.usd, 0);
  let agentsUsd = 0;
  const unpriced = new Set<string>();
  for (const task of snapshot.tasks) {
    const spend = taskSpend(task, prices);
    agentsUsd += spend.usd;
    spend.unpriced.forEach((m) => unpriced.add(m));
  }
  return { planningUsd, agentsUsd, totalUsd: planningUsd + agentsUsd, unpriced: [...unpriced].sort() };
}

/**
 * The one budget rule, used by the dispatch gate, the status warning, `/architect approve`
 * and planning alike: with a budget set, spend that has reached the budget plus what people
 * approved on top waits for a person.
 */
export function budgetReached(config: Pick<ArchitectConfig, "budget">, approvedUsd: number, spentUsd: number): boolean {
  return config.budget.usd > 0 && spentUsd >= config.budget.usd + approvedUsd;
}
