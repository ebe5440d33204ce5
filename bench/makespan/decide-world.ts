import type { ArchitectConfig } from "../../src/core/config/config-schema.js";
import { decide } from "../../src/core/decide/decide.js";
import type { Effect } from "../../src/core/decide/effects.js";
import type { StatusRecord, TaskFacts } from "../../src/core/decide/snapshot.js";
import { makeCheck, makeConfig, makeControl, makeIssue, makePull, makeReview, makeSnapshot, dagCheck, T0 } from "../../src/core/decide/test-builders.js";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { parseRunTitle } from "../../src/core/markers/run-title.js";
import type { PlannedTask } from "../../src/core/plan/plan-schema.js";
import type { SimTask } from "./sim-task.js";

/**
 * The makespan of `decide` itself, not just of the scheduling function it calls: a tiny
 * world applies its effects pass after pass (one pass = one reconcile), agents finish
 * each run `duration` minutes after dispatch and open a green, approved PR, and time jumps
 * from one run completion to the next. If decide dispatched lazily (a pass late, or at a
 * level barrier) its makespan would exceed the pure simulation's; the benchmark reports
 * on how many DAGs the two agree.
 */
export function decideMakespan(tasks: readonly SimTask[], cap: number, options: DecideWorldOptions = {}): number {
  const plan: PlannedTask[] = tasks.map((t) => ({ key: t.key, title: `Task ${t.key}`, body: "", acceptance: [], depends_on: [...t.dependsOn], agent: "claude", agent_reason: "", labels: [], scope: [], estimate: t.estimate }));
  const config = makeConfig({ caps: { repo: cap, milestone: cap }, agents: [{ name: "claude", max_concurrent: cap }] });
  const world = new DecideWorld(plan, config, new Map(tasks.map((t) => [t.key, t.duration])), options.deferDispatchOnMerge ?? false);
  for (let step = 0; step < 10 * tasks.length + 10; step++) {
    // Reconcile until quiet, as the app does after structural writes.
    for (let i = 0; i < 20 && world.pass() > 0; i++);
    if (world.finished()) return (world.lastMerge - T0) / 60_000;
    if (!world.advance()) throw new Error("decide left the milestone stuck: nothing running and not finished");
  }
  throw new Error("the milestone never finished");
}

export interface DecideWorldOptions {
  /**
   * A what-if, not what the app does: in a pass whose effects include a merge, apply
   * everything but the dispatches, so the slots go out only once the merged task's
   * dependents are ready.
   */
  deferDispatchOnMerge?: boolean;
}

class DecideWorld {
  tasks: TaskFacts[] = [];
  lastMerge = T0;
  private labels: Record<string, string> = {};
  private status: StatusRecord = { dispatches: {} };
  private now = T0;
  private next = 2;

  constructor(
    private readonly plan: PlannedTask[],
    private readonly config: ArchitectConfig,
    private readonly minutes: ReadonlyMap<string, number>,
    private readonly deferDispatchOnMerge: boolean,
  ) {}

  pass(): number {
    const snapshot = makeSnapshot({ controlValue: makeControl(this.plan), tasks: structuredClone(this.tasks), repoLabels: { ...this.labels }, dispatches: this.status.dispatches });
    const decision = decide(snapshot, this.config, this.now);
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
      return run && run.status !== "completed" ? [{ t, run, end: run.createdAt + (this.minutes.get(t.marker.key) ?? 1) * 60_000 }] : [];
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

  private apply(e: Effect): void {
    const task = (n: number) => this.tasks.find((t) => t.issue.number === n) as TaskFacts;
    switch (e.kind) {
      case "createLabels":
        for (const l of e.labels) this.labels[l.name] = `LA_${l.name}`;
        return;
      case "createTask": {
        const marker = decodeMarker("task", e.body);
        if (!marker) throw new Error("decide created a task without a valid marker");
        const n = this.next++;
        this.tasks.push({ issue: makeIssue(n, { title: e.title, body: e.body, labels: e.labels }), marker, blockedBy: [], branch: null, pull: null, runs: [] });
        return;
      }
      case "linkBlockedBy":
        task(e.task).blockedBy.push(e.blocker);
        return;
      case "setLabels": {
        const t = task(e.issue);
        t.issue.labels = [...t.issue.labels.filter((l) => !e.remove.includes(l)), ...e.add];
        return;
      }
      case "dispatch": {
        const t = task(e.task);
        if (e.claim) t.branch = { name: e.claim.branch, sha: e.claim.sha };
        const key = parseRunTitle(e.runTitle);
        if (!key) throw new Error(`unparseable run title ${e.runTitle}`);
        t.runs.push({ id: t.runs.length + 1, key, status: "queued", conclusion: null, createdAt: this.now, updatedAt: this.now, url: "" });
        return;
      }
      case "setDagCheck": {
        const pull = task(e.task).pull as NonNullable<TaskFacts["pull"]>;
        pull.checks = [...pull.checks.filter((c) => c.name !== "architect/dag"), dagCheck(e.status === "success" ? "success" : "pending", e.title)];
        return;
      }
      case "merge": {
        const t = task(e.task);
        (t.pull as NonNullable<TaskFacts["pull"]>).state = "merged";
        t.issue.state = "closed"; // "Closes #n"
        t.issue.stateReason = "completed";
        this.lastMerge = Math.max(this.lastMerge, this.now);
        return;
      }
      case "closeIssue":
        task(e.issue).issue.state = "closed";
        return;
      default:
        // Status comments and other projections do not move the graph.
        return;
    }
  }
}
