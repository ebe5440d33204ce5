import type { ArchitectConfig } from "../../src/core/config/config-schema.js";
import { decide } from "../../src/core/decide/decide.js";
import type { Effect } from "../../src/core/decide/effects.js";
import { SimulatedRepo } from "../../src/core/decide/simulated-repo.js";
import { makeCheck, makeConfig, makePull, makeReview, T0 } from "../../src/core/decide/test-builders.js";
import type { PlannedTask } from "../../src/core/plan/plan-schema.js";
import type { SimTask } from "./sim-task.js";

/**
 * The makespan of `decide` itself, not just of the scheduling function it calls: a tiny
 * world applies its effects pass after pass (one pass = one reconcile), agents finish
 * each run `duration` hours after dispatch (the estimates' unit, which decide's lookahead
 * compares with elapsed time) and open a green, approved PR, and time jumps
 * from one run completion to the next. If decide dispatched lazily (a pass late, or at a
 * level barrier) its makespan would exceed the pure simulation's; the benchmark reports
 * on how many DAGs the two agree.
 */
export function decideMakespan(tasks: readonly SimTask[], cap: number, options: DecideWorldOptions = {}): number {
  const plan: PlannedTask[] = tasks.map((t) => ({ key: t.key, title: `Task ${t.key}`, body: "", acceptance: [], depends_on: [...t.dependsOn], agent: "claude", agent_reason: "", labels: [], scope: [], estimate: t.estimate }));
  // Runs take up to ten hours here: the run timeout must not cut them short.
  const config = makeConfig({ caps: { repo: cap, milestone: cap }, agents: [{ name: "claude", max_concurrent: cap }], timeouts: { run_minutes: 24 * 60, dispatch_grace_minutes: 5 } });
  const world = new DecideWorld(plan, config, new Map(tasks.map((t) => [t.key, t.duration])), options.deferDispatchOnMerge ?? false);
  for (let step = 0; step < 10 * tasks.length + 10; step++) {
    // Reconcile until quiet, as the app does after structural writes.
    for (let i = 0; i < 20 && world.pass() > 0; i++);
    if (world.finished()) return (world.lastMerge - T0) / HOUR_MS;
    if (!world.advance()) throw new Error("decide left the milestone stuck: nothing running and not finished");
  }
  throw new Error("the milestone never finished");
}

const HOUR_MS = 3_600_000;

export interface DecideWorldOptions {
  /**
   * A what-if, not what the app does: in a pass whose effects include a merge, apply
   * everything but the dispatches, so the slots go out only once the merged task's
   * dependents are ready.
   */
  deferDispatchOnMerge?: boolean;
}

class DecideWorld extends SimulatedRepo {
  lastMerge = T0;

  constructor(
    plan: PlannedTask[],
    private readonly config: ArchitectConfig,
    private readonly hours: ReadonlyMap<string, number>,
    private readonly deferDispatchOnMerge: boolean,
  ) {
    super(plan, T0);
  }

  pass(): number {
    const decision = decide(this.snapshot(), this.config, this.now);
    if (this.deferDispatchOnMerge && decision.effects.some((e) => e.kind === "merge")) {
      // The what-if: drop this pass's dispatches; the next pass, which sees the merge, decides again.
      for (const effect of decision.effects) if (effect.kind !== "dispatch") this.apply(effect);
      return decision.effects.length;
    }
    for (const effect of decision.effects) this.apply(effect);
    this.status = decision.statusRecord;
    return decision.effects.length;
  }

  finished(): boolean {
    return this.tasks.length === this.plan.length && this.tasks.every((t) => t.issue.state === "closed");
  }

  /** Jump to the next run completion and finish those runs with a green, approved PR; false when nothing runs. */
  advance(): boolean {
    const open = this.tasks.flatMap((t) => {
      const run = t.runs.at(-1);
      return run && run.status !== "completed" ? [{ t, run, end: run.createdAt + (this.hours.get(t.marker.key) ?? 1) * HOUR_MS }] : [];
    });
    if (open.length === 0) return false;
    this.now = Math.min(...open.map((o) => o.end));
    for (const { t, run, end } of open) {
      if (end !== this.now) continue;
      Object.assign(run, { status: "completed", conclusion: "success", updatedAt: this.now });
      t.pull ??= makePull(t.issue.number + 1000, { author: "agent[bot]", reviews: [makeReview("bob", "APPROVED")], checks: [makeCheck("ci")] });
    }
    return true;
  }

  /** Also closes issues and times the last merge; status comments and other projections do not move the graph. */
  override apply(e: Effect): boolean {
    if (e.kind === "closeIssue") {
      this.task(e.issue).issue.state = "closed";
      return true;
    }
    const applied = super.apply(e);
    if (e.kind === "merge") this.lastMerge = Math.max(this.lastMerge, this.now);
    return applied;
  }
}
