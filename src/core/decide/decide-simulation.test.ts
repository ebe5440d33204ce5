import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ArchitectConfig } from "../config/config-schema.js";
import type { PlannedTask } from "../plan/plan-schema.js";
import type { Effect } from "./effects.js";
import { decide } from "./decide.js";
import { scopesOverlap } from "../scope/scope-overlap.js";
import { SimulatedRepo } from "./simulated-repo.js";
import { makeCheck, makeConfig, makePull, makeReview, min, planTask } from "./test-builders.js";

/**
 * decide, driven pass after pass against a tiny simulated GitHub whose agents finish
 * runs, open PRs with green CI, and get approved. Whatever the plan, the milestone must
 * finish, merge in dependency order, respect the caps and scopes, dispatch each task
 * exactly once, and end in a state where decide has nothing left to do.
 */
class World extends SimulatedRepo {
  merged: string[] = [];
  dispatched: string[] = [];
  maxRunning = 0;
  overlapSeen = false;

  constructor(
    plan: PlannedTask[],
    private readonly config: ArchitectConfig,
    /** Keys whose first run fails without a PR. */
    private readonly flaky: ReadonlySet<string> = new Set(),
  ) {
    super(plan, min(0));
  }

  /** One reconcile: decide and apply; returns how many effects there were. */
  pass(): number {
    const decision = decide(this.snapshot(), this.config, this.now);
    for (const effect of decision.effects) this.apply(effect);
    this.status = decision.statusRecord;
    this.observe();
    return decision.effects.length;
  }

  /** Agents and CI: runs finish 10 minutes after they start and open an approved, green PR. */
  tick(): void {
    this.now += 10 * 60_000;
    for (const task of this.tasks) {
      const run = task.runs.at(-1);
      if (!run || run.status === "completed" || this.now - run.createdAt < 10 * 60_000) continue;
      if (this.flaky.has(task.marker.key) && run.key.seq === 1) {
        Object.assign(run, { status: "completed", conclusion: "failure", updatedAt: this.now });
        continue;
      }
      Object.assign(run, { status: "completed", conclusion: "success", updatedAt: this.now });
      task.pull ??= makePull(task.issue.number + 100, { author: "agent[bot]", reviews: [makeReview("bob", "APPROVED")], checks: [makeCheck("ci")] });
    }
  }

  /** Records dispatches and merges, enforces branch protection, and rejects any effect the world does not model. */
  override apply(e: Effect): boolean {
    if (e.kind === "merge") {
      const t = this.task(e.task);
      const pull = t.pull as NonNullable<typeof t.pull>;
      // Branch protection: architect/dag must be green on the head.
      if (!pull.checks.some((c) => c.name === "architect/dag" && c.conclusion === "success")) throw new Error(`merge of ${t.marker.key} without a green architect/dag`);
    }
    if (!super.apply(e)) throw new Error(`unexpected effect ${e.kind}`);
    if (e.kind === "dispatch") this.dispatched.push(this.task(e.task).marker.key);
    if (e.kind === "merge") this.merged.push(this.task(e.task).marker.key);
    return true;
  }

  private observe(): void {
    const running = this.tasks.filter((t) => t.runs.at(-1)?.status === "queued");
    this.maxRunning = Math.max(this.maxRunning, running.length);
    for (const a of running) for (const b of running) if (a !== b && scopesOverlap(a.marker.scope, b.marker.scope)) this.overlapSeen = true;
  }
}

function simulate(plan: PlannedTask[], config: ArchitectConfig, flaky: ReadonlySet<string> = new Set()): World {
  const world = new World(plan, config, flaky);
  for (let step = 0; step < 200; step++) {
    // Reconcile until quiet (as the app does), then let time pass.
    for (let i = 0; i < 10 && world.pass() > 0; i++);
    if (world.tasks.length === plan.length && world.tasks.every((t) => t.issue.state === "closed")) return world;
    world.tick();
  }
  throw new Error("the milestone never finished");
}

describe("decide, simulated to the end", () => {
  const cases: { name: string; plan: PlannedTask[]; cap: number }[] = [
    {
      name: "a diamond",
      plan: [planTask("a"), planTask("b", { depends_on: ["a"] }), planTask("c", { depends_on: ["a"] }), planTask("d", { depends_on: ["b", "c"] })],
      cap: 4,
    },
    {
      name: "a wide fan-out with a milestone cap and overlapping scopes",
      plan: [
        planTask("base"),
        ...["w1", "w2", "w3", "w4", "w5"].map((k, i) => planTask(k, { depends_on: ["base"], scope: [i < 2 ? "src/shared/**" : `src/${k}/**`] })),
        planTask("top", { depends_on: ["w1", "w2", "w3", "w4", "w5"] }),
      ],
      cap: 2,
    },
  ];

  it.each(cases)("$name finishes in dependency order within the caps, each task dispatched once, and converges", ({ plan, cap }) => {
    const world = simulate(plan, makeConfig({ caps: { repo: 6, milestone: cap } }));
    const deps = new Map(plan.map((t) => [t.key, t.depends_on]));
    world.merged.forEach((key, i) => {
      for (const dep of deps.get(key) ?? []) expect(world.merged.indexOf(dep)).toBeLessThan(i);
    });
    expect([...world.merged].sort()).toEqual(plan.map((t) => t.key).sort());
    expect([...world.dispatched].sort()).toEqual(plan.map((t) => t.key).sort());
    expect(world.maxRunning).toBeLessThanOrEqual(cap);
    expect(world.overlapSeen).toBe(false);
    expect(world.pass()).toBe(0);
  });

  it("retries a run that failed and still finishes", () => {
    const plan = [planTask("a"), planTask("b", { depends_on: ["a"] })];
    const world = simulate(plan, makeConfig(), new Set(["a"]));
    expect(world.dispatched).toEqual(["a", "a", "b"]);
    expect(world.merged).toEqual(["a", "b"]);
    expect(world.pass()).toBe(0);
  });

  it("holds for random DAGs, caps and scopes", () => {
    const dag = fc
      .array(fc.record({ deps: fc.array(fc.nat(20), { maxLength: 3 }), scope: fc.constantFrom([], ["src/a/**"], ["src/b/**"], ["src/a/x.ts"]), flaky: fc.boolean() }), { minLength: 1, maxLength: 8 })
      .map((nodes) => ({
        // Dependencies only point backwards, so every generated plan is acyclic.
        plan: nodes.map((n, i) => planTask(`t${i}`, { depends_on: [...new Set(n.deps.filter((d) => d < i).map((d) => `t${d}`))], scope: [...n.scope] })),
        flaky: new Set(nodes.flatMap((n, i) => (n.flaky ? [`t${i}`] : []))),
      }));
    fc.assert(
      fc.property(dag, fc.integer({ min: 1, max: 3 }), ({ plan, flaky }, cap) => {
        const world = simulate(plan, makeConfig({ caps: { repo: 6, milestone: cap } }), flaky);
        const order = new Map(world.merged.map((k, i) => [k, i]));
        for (const t of plan) for (const dep of t.depends_on) expect(order.get(dep) ?? Infinity).toBeLessThan(order.get(t.key) ?? -1);
        expect(world.merged.length).toBe(plan.length);
        expect(world.dispatched.length).toBe(plan.length + flaky.size);
        expect(world.maxRunning).toBeLessThanOrEqual(cap);
        expect(world.overlapSeen).toBe(false);
        expect(world.pass()).toBe(0);
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});
