import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "../../src/core/decide/decide.js";
import type { Decision, Effect } from "../../src/core/decide/effects.js";
import type { CheckFacts, MilestoneControl, PullFacts, ReviewFacts, RunFacts, Snapshot, TaskFacts } from "../../src/core/decide/snapshot.js";
import { allRepoLabels, makeCheck, makeConfig, makeControl, makePull, makeReview, makeRun, makeSnapshot, makeTask, min, planTask, REQUESTER } from "../../src/core/decide/test-builders.js";
import type { ArchitectConfig } from "../../src/core/config/config-schema.js";
import { HOLD_LABEL, STATE_LABELS } from "../../src/shared/labels.js";
import { FUZZ } from "./fuzz-helpers.js";

/** Each run builds and decides a whole snapshot: fewer runs keep the folder fast. */
const RUNS = { ...FUZZ, numRuns: 120 };

/**
 * decide sees whatever GitHub holds, including worlds Architect would never produce on
 * its own: hand-edited markers naming unknown keys or forming cycles, duplicate keys,
 * runs and PRs in any state, a missing control record. Whatever the snapshot, it must not
 * throw, and what it asks for must be safe to apply: only about things that exist, at
 * most one dispatch per task, and never a start before the dependencies are merged.
 */

const KEYS = ["a", "b", "c", "d", "e", "f"];
const GHOST = "ghost"; // a dependency no task carries

const check: fc.Arbitrary<CheckFacts> = fc
  .tuple(
    fc.constantFrom("ci", "lint", "architect/dag"),
    fc.constantFrom<CheckFacts["status"]>("queued", "in_progress", "completed", "pending"),
    fc.constantFrom<CheckFacts["conclusion"]>("success", "failure", "cancelled", "neutral", null),
    fc.boolean(),
    fc.constantFrom("github-actions", "architect", null),
  )
  .map(([name, status, conclusion, isRequired, appSlug]) => makeCheck(name, { status, conclusion, isRequired, appSlug }));

const review: fc.Arbitrary<ReviewFacts> = fc
  .tuple(fc.constantFrom("bob", "carol", REQUESTER, "architect[bot]"), fc.constantFrom<ReviewFacts["state"]>("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"), fc.boolean(), fc.boolean(), fc.constantFrom("head", "old"), fc.integer({ min: 0, max: 600 }))
  .map(([author, state, authorIsBot, authorCanWrite, commitSha, at]) => makeReview(author, state, { authorIsBot, authorCanWrite, commitSha, submittedAt: min(at) }));

function pullArb(number: number): fc.Arbitrary<PullFacts> {
  return fc
    .tuple(
      fc.constantFrom<PullFacts["state"]>("open", "open", "closed", "merged"),
      fc.array(check, { maxLength: 3 }),
      fc.array(review, { maxLength: 3 }),
      fc.boolean(),
      fc.constantFrom<PullFacts["mergeable"]>("MERGEABLE", "CONFLICTING", "UNKNOWN"),
      fc.boolean(),
    )
    .map(([state, checks, reviews, isDraft, mergeable, autoMergeEnabled]) => makePull(number + 100, { state, checks, reviews, isDraft, mergeable, autoMergeEnabled }));
}

function runsArb(task: number): fc.Arbitrary<RunFacts[]> {
  const one = fc.tuple(
    fc.constantFrom<RunFacts["status"]>("queued", "in_progress", "completed", "completed"),
    fc.constantFrom<RunFacts["conclusion"]>("success", "failure", "cancelled", "timed_out", null),
    fc.constantFrom<RunFacts["key"]["mode"]>("initial", "retry", "review"),
    fc.integer({ min: 0, max: 600 }),
    fc.integer({ min: 0, max: 120 }),
  );
  return fc
    .array(one, { maxLength: 4 })
    .map((runs) => runs.map(([status, conclusion, mode, start, length], i) => makeRun(task, i + 1, { status, conclusion: status === "completed" ? conclusion : null, mode, createdAt: min(start), updatedAt: min(start + length) })));
}

function taskArb(number: number): fc.Arbitrary<TaskFacts> {
  return fc
    .record({
      key: fc.constantFrom(...KEYS),
      deps: fc.oneof(fc.constant<string[]>([]), fc.subarray([...KEYS, GHOST], { maxLength: 3 })),
      agent: fc.constantFrom("claude", "codex", "copilot", "nobody", ""),
      scope: fc.subarray(["src/**", "src/api/**", "docs/*.md", "test"], { maxLength: 2 }),
      state: fc.constantFrom<"open" | "closed">("open", "open", "closed"),
      stateReason: fc.constantFrom<TaskFacts["issue"]["stateReason"]>(null, "completed", "completed", "not_planned"),
      labels: fc.subarray([HOLD_LABEL, "agent:codex", "agent:nobody", STATE_LABELS.running.name, STATE_LABELS.ready.name], { maxLength: 2 }),
      claimed: fc.boolean(),
      pull: fc.option(pullArb(number), { nil: null }),
      runs: runsArb(number),
      blockedBy: fc.subarray([2, 3, 4, 5, 6, 7, 8, 9], { maxLength: 2 }),
      requiredApprovals: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      // Many tasks are untouched (open, unclaimed, no runs: the ones a pass may start) or
      // finished (what lets their dependents start); the rest are anything at all.
      shape: fc.constantFrom("fresh", "fresh", "done", "random", "random"),
    })
    .map((t) => {
      if (t.shape === "fresh") return { ...t, claimed: false, pull: null, runs: [], state: "open" as const, labels: t.labels.filter((l) => l !== HOLD_LABEL) };
      if (t.shape === "done") return { ...t, state: "closed" as const, stateReason: "completed" as const };
      return t;
    })
    .map((t) =>
      makeTask(number, t.key, {
        dependsOn: t.deps,
        agent: t.agent,
        scope: t.scope,
        labels: t.labels,
        claimed: t.claimed,
        pull: t.pull,
        runs: t.runs,
        blockedBy: t.blockedBy,
        requiredApprovals: t.requiredApprovals,
        issue: { state: t.state, stateReason: t.state === "closed" ? t.stateReason : null },
      }),
    );
}

const controlArb: fc.Arbitrary<MilestoneControl | null> = fc.option(
  fc
    .record({
      planned: fc.subarray(KEYS, { minLength: 1 }),
      deps: fc.array(fc.subarray([...KEYS, GHOST], { maxLength: 2 }), { minLength: KEYS.length, maxLength: KEYS.length }),
      approved: fc.boolean(),
      paused: fc.boolean(),
      grants: fc.dictionary(fc.constantFrom(...KEYS), fc.nat(3), { maxKeys: 2 }),
      removed: fc.subarray(KEYS, { maxLength: 2 }),
      usd: fc.double({ min: 0, max: 50, noNaN: true }),
    })
    .map((c) =>
      makeControl(
        c.planned.map((k, i) => planTask(k, { depends_on: c.deps[i] ?? [] })),
        { approvedBy: c.approved ? REQUESTER : null, paused: c.paused, retryGrants: c.grants, removedKeys: c.removed, usage: [{ provider: "openai", model: "m", inputTokens: 1, outputTokens: 1, usd: c.usd }] },
      ),
    ),
  { nil: null, freq: 5 },
);

const configArb: fc.Arbitrary<ArchitectConfig> = fc
  .record({
    caps: fc.record({ repo: fc.integer({ min: 1, max: 6 }), milestone: fc.integer({ min: 1, max: 4 }) }),
    advance_on: fc.constantFrom("merge", "checks"),
    merge: fc.record({ mode: fc.constantFrom("direct", "auto", "off"), method: fc.constantFrom("merge", "squash", "rebase") }),
    budget: fc.record({ usd: fc.constantFrom(0, 10) }),
    retries: fc.record({ max_attempts: fc.integer({ min: 1, max: 3 }), backoff_seconds: fc.constantFrom(0, 60) }),
    reviews: fc.record({ max_review_cycles: fc.integer({ min: 0, max: 2 }), required_approvals: fc.integer({ min: 0, max: 2 }) }),
    withCopilot: fc.boolean(),
  })
  .map(({ withCopilot, ...rest }) =>
    makeConfig({
      ...rest,
      agents: [{ name: "claude", max_concurrent: 2 }, { name: "codex", max_concurrent: 1 }, ...(withCopilot ? [{ name: "copilot", kind: "copilot" }] : [])],
    }),
  );

/** Distinct issue numbers (GitHub guarantees that), each with a random task. */
const tasksArb: fc.Arbitrary<TaskFacts[]> = fc
  .uniqueArray(fc.integer({ min: 2, max: 9 }), { maxLength: 7 })
  .chain((numbers) => (numbers.length === 0 ? fc.constant([]) : fc.tuple(...numbers.map(taskArb))));

const world = fc.record({
  tasks: tasksArb,
  control: controlArb,
  config: configArb,
  now: fc.integer({ min: 0, max: 900 }).map(min),
  labelsPresent: fc.boolean(),
  protection: fc.option(fc.record({ enabled: fc.boolean(), requiredChecks: fc.subarray(["ci", "lint", "architect/dag"]), requiredApprovals: fc.nat(2) }), { nil: null }),
  runningElsewhere: fc.nat(6),
  // Half the worlds are approved, unpaused and within budget, so starts are actually decided.
  eager: fc.boolean(),
  dispatches: fc.option(fc.dictionary(fc.integer({ min: 2, max: 9 }).map(String), fc.record({ seq: fc.integer({ min: 1, max: 4 }), at: fc.integer({ min: 0, max: 900 }).map(min), resent: fc.boolean() }), { maxKeys: 3 }), { nil: undefined }),
});

type World = { snapshot: Snapshot; config: ArchitectConfig; now: number };
type WorldInput = typeof world extends fc.Arbitrary<infer T> ? T : never;

function buildWorld(w: WorldInput): World {
  if (w.eager && w.control) {
    // Every key planned, none removed: otherwise replan cancels most tasks before they could start.
    w.control.plan.tasks = KEYS.map((k) => w.control?.plan.tasks.find((t) => t.key === k) ?? planTask(k));
    w.control.removedKeys = [];
    w.control.approvedBy = REQUESTER;
    w.control.paused = false;
    w.config.budget.usd = 0;
    w.runningElsewhere = 0;
  }
  const snapshot = makeSnapshot({ controlValue: w.control, tasks: w.tasks, repoLabels: w.labelsPresent ? allRepoLabels() : {}, runningElsewhere: w.runningElsewhere, dispatches: w.dispatches });
  snapshot.repo.protection = w.protection;
  return { snapshot, config: w.config, now: w.now };
}

const worldArb: fc.Arbitrary<World> = world.map(buildWorld);
/** Only worlds where starts are allowed, for the properties about starts. */
const eagerWorldArb: fc.Arbitrary<World> = world.map((w) => buildWorld({ ...w, eager: true }));

/** A dependency is merged when some task with that key is done by the facts alone. */
function doneByFacts(tasks: readonly TaskFacts[], key: string): boolean {
  return tasks.some((t) => t.marker.key === key && ((t.issue.state === "closed" && t.issue.stateReason !== "not_planned") || t.pull?.state === "merged"));
}

function taskOf(snapshot: Snapshot, number: number): TaskFacts {
  const task = snapshot.tasks.find((t) => t.issue.number === number);
  if (!task) throw new Error(`effect names issue #${number}, which is not a task of the snapshot`);
  return task;
}

/** Every effect names things that exist in the snapshot, with ids that match them. */
function expectGrounded(effect: Effect, snapshot: Snapshot): void {
  switch (effect.kind) {
    case "createLabels":
      expect(effect.labels.length).toBeGreaterThan(0);
      return;
    case "createTask":
      expect(snapshot.control?.value.plan.tasks.map((t) => t.key)).toContain(effect.key);
      return;
    case "updateTask":
    case "setLabels":
    case "closeIssue":
      expect(taskOf(snapshot, effect.issue).issue.nodeId).toBe(effect.issueNodeId);
      return;
    case "linkBlockedBy":
      expect(taskOf(snapshot, effect.task).issue.nodeId).toBe(effect.taskNodeId);
      expect(taskOf(snapshot, effect.blocker).issue.id).toBe(effect.blockerId);
      return;
    case "dispatch":
    case "assignCopilot":
      expect(taskOf(snapshot, effect.task).issue.state).toBe("open");
      return;
    case "cancelRun":
      expect(taskOf(snapshot, effect.task).runs.map((r) => r.id)).toContain(effect.runId);
      return;
    case "deleteBranch":
      expect(taskOf(snapshot, effect.task).branch?.name).toBe(effect.branch);
      return;
    case "setDagCheck":
    case "merge":
    case "enableAutoMerge":
    case "enqueue": {
      const pull = taskOf(snapshot, effect.task).pull;
      expect(pull?.number).toBe(effect.pull);
      expect(pull?.headSha).toBe(effect.headSha);
      return;
    }
    case "upsertStatusComment":
      expect([null, snapshot.status?.nodeId]).toContain(effect.commentNodeId);
      return;
  }
}

function starts(decision: Decision): Extract<Effect, { kind: "dispatch" | "assignCopilot" }>[] {
  return decision.effects.filter((e): e is Extract<Effect, { kind: "dispatch" | "assignCopilot" }> => e.kind === "dispatch" || e.kind === "assignCopilot");
}

describe("decide on random snapshots", () => {
  it("never throws, is deterministic, and derives a state for exactly the snapshot's tasks", () => {
    fc.assert(
      fc.property(worldArb, ({ snapshot, config, now }) => {
        const decision = decide(snapshot, config, now);
        expect(decide(structuredClone(snapshot), config, now)).toEqual(decision);
        expect(Object.keys(decision.states).map(Number).sort((x, y) => x - y)).toEqual(snapshot.tasks.map((t) => t.issue.number).sort((x, y) => x - y));
        if (decision.wakeAt !== null) expect(decision.wakeAt).toBeGreaterThan(now);
      }),
      RUNS,
    );
  });

  it("only asks for effects on tasks, pulls and runs that exist in the snapshot", () => {
    fc.assert(
      fc.property(worldArb, ({ snapshot, config, now }) => {
        for (const effect of decide(snapshot, config, now).effects) expectGrounded(effect, snapshot);
      }),
      RUNS,
    );
  });

  it("never dispatches the same task twice in one pass, and does nothing without a control record", () => {
    fc.assert(
      fc.property(worldArb, ({ snapshot, config, now }) => {
        const decision = decide(snapshot, config, now);
        const tasks = starts(decision).map((e) => e.task);
        expect(new Set(tasks).size).toBe(tasks.length);
        if (snapshot.control === null) expect(decision.effects).toEqual([]);
        if (snapshot.control?.value.approvedBy === null || snapshot.control?.value.paused) expect(tasks).toEqual([]);
      }),
      RUNS,
    );
  });

  it("with advance_on: merge, never starts a task before every dependency is merged", () => {
    let started = 0;
    let startedWithDeps = 0;
    fc.assert(
      fc.property(
        eagerWorldArb.filter((w) => w.config.advance_on === "merge"),
        ({ snapshot, config, now }) => {
          for (const effect of starts(decide(snapshot, config, now))) {
            const task = taskOf(snapshot, effect.task);
            // Only fresh starts are checked: a claimed task's retry or review run continues work already begun.
            if (effect.kind === "dispatch" && effect.claim === null) continue;
            for (const dep of task.marker.dependsOn) expect(doneByFacts(snapshot.tasks, dep), `#${effect.task} started before ${dep} merged`).toBe(true);
            expect(task.issue.labels).not.toContain(HOLD_LABEL);
            started++;
            if (task.marker.dependsOn.length > 0) startedWithDeps++;
          }
        },
      ),
      FUZZ,
    );
    // The generator must actually reach starts, with and without dependencies, or the property proves nothing.
    expect(started).toBeGreaterThan(20);
    expect(startedWithDeps).toBeGreaterThan(3);
  });

  // Regression: two issues carrying the same key (a copied marker) were both ready; both
  // picks mapped to the last one, which was dispatched twice in one pass.
  it("starts a duplicated key once, as its first ready task", () => {
    const snapshot = makeSnapshot({ controlValue: makeControl([planTask("c")]), tasks: [makeTask(2, "c"), makeTask(5, "c")] });
    const dispatched = starts(decide(snapshot, makeConfig(), min(0))).map((e) => e.task);
    expect(dispatched).toEqual([2]);
  });
});
