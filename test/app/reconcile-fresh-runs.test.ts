import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/app/logger.js";
import { reconcileMilestone } from "../../src/app/reconcile.js";
import { decide } from "../../src/core/decide/decide.js";
import { actsOnRunOutcome } from "../../src/core/decide/effects.js";
import type { RunFacts, Snapshot } from "../../src/core/decide/snapshot.js";
import { BOT, makeConfig, makeControl, makeRun, makeSnapshot, makeTask, min, planTask } from "../../src/core/decide/test-builders.js";
import type { GitHubGateway } from "../../src/github/gateway.js";
import { ManualClock } from "../github/manual-clock.js";

const config = makeConfig();
const NOW = min(12); // task #2's first run failed at minute 10: its retry is due from minute 11
const failed = makeRun(2, 1, { conclusion: "failure", updatedAt: min(10) });
const stillRunning = makeRun(2, 1, { status: "in_progress", conclusion: null, updatedAt: min(11) });

/** Milestone #1: task a (#2) claimed and running with `runs`; task b (#3) running its first run, or ready. */
function snapshot(runs: RunFacts[], over: { fromLedger?: boolean; b?: "ready" | "running" } = {}): Snapshot {
  const bReady = over.b === "ready";
  const b = bReady
    ? makeTask(3, "b", { state: "ready" })
    : makeTask(3, "b", { state: "running", claimed: true, runs: [makeRun(3, 1, { status: "in_progress", conclusion: null })] });
  return makeSnapshot({
    controlValue: makeControl([planTask("a"), planTask("b")]),
    tasks: [makeTask(2, "a", { state: "running", claimed: true, runs }), b],
    dispatches: { "2": { seq: 1, at: min(0) }, ...(bReady ? {} : { "3": { seq: 1, at: min(0) } }) },
    ...(over.fromLedger ? { runsFromLedger: true } : {}),
  });
}

/** A gateway that serves `first` then `fresh` snapshots and records every other call by name. */
function fakeGateway(first: Snapshot, fresh: Snapshot) {
  const loads: { freshRuns?: boolean }[] = [];
  const writes: string[] = [];
  const dispatched: Record<string, string>[] = [];
  const known: Partial<GitHubGateway> = {
    owner: "acme",
    repo: "app",
    loadSnapshot: async (_milestone, options) => {
      loads.push({ ...(options.freshRuns === undefined ? {} : { freshRuns: options.freshRuns }) });
      return options.freshRuns ? fresh : first;
    },
    dispatchWorkflow: async (_workflow, _ref, inputs) => {
      writes.push("dispatchWorkflow");
      dispatched.push(inputs);
      return { runId: null };
    },
    applyBatch: async (ops) => (writes.push("applyBatch"), ops.map(() => ({ ok: true as const }))),
  };
  const gateway = new Proxy(known as GitHubGateway, {
    get: (target, name: string) => target[name as keyof GitHubGateway] ?? (async () => void writes.push(name)),
  });
  return { gateway, loads, writes, dispatched };
}

const reconcile = (gateway: GitHubGateway) =>
  reconcileMilestone({ gateway, config, clock: new ManualClock(NOW), log: silentLogger, botLogin: BOT }, 1);

// A decision on a run's outcome made from ledger runs is made again on freshly listed runs.
describe("reconcile: runs from the ledger are checked before acting on an outcome", () => {
  it("the ledger's failed run would be retried; the fresh list shows it running, so no dispatch is written", async () => {
    const ledger = snapshot([failed], { fromLedger: true });
    const fresh = snapshot([stillRunning]);
    expect(decide(ledger, config, NOW).effects.filter(actsOnRunOutcome)).toMatchObject([{ kind: "dispatch", task: 2, claim: null }]);
    const { gateway, loads, writes } = fakeGateway(ledger, fresh);

    const report = await reconcile(gateway);
    expect(loads).toEqual([{}, { freshRuns: true }]);
    expect(writes).toEqual(["applyBatch"]); // the status comment only
    expect(report.snapshot).toBe(fresh);
    expect(report.decision?.effects.filter(actsOnRunOutcome)).toEqual([]);
    expect(report.failures).toEqual([]);
  });

  it("the fresh list confirms the failure: the retry is written once", async () => {
    const { gateway, loads, dispatched } = fakeGateway(snapshot([failed], { fromLedger: true }), snapshot([failed]));
    const report = await reconcile(gateway);
    expect(loads).toEqual([{}, { freshRuns: true }]);
    expect(dispatched).toMatchObject([{ task: "2", mode: "retry", attempt: "2" }]);
    expect(report.failures).toEqual([]);
  });
});

// No fresh read when nothing acts on a run's outcome, or when the runs were listed already.
describe("reconcile: no fresh read when it is not needed", () => {
  it("a ledger snapshot whose decision is a first dispatch (claimed) is written after one load", async () => {
    const ledger = snapshot([stillRunning], { fromLedger: true, b: "ready" });
    const effects = decide(ledger, config, NOW).effects;
    expect(effects.filter((e) => e.kind === "dispatch")).toMatchObject([{ task: 3, claim: { branch: "architect/3-task-b" } }]);
    expect(effects.some(actsOnRunOutcome)).toBe(false);
    const { gateway, loads, dispatched } = fakeGateway(ledger, snapshot([failed], { b: "ready" }));

    await reconcile(gateway);
    expect(loads).toEqual([{}]);
    expect(dispatched).toMatchObject([{ task: "3", mode: "initial", attempt: "1" }]);
  });

  it("a listed snapshot (runsFromLedger absent) with a retry due is acted on after one load", async () => {
    const listed = snapshot([failed]);
    expect(listed.runsFromLedger).toBeUndefined();
    const { gateway, loads, dispatched } = fakeGateway(listed, snapshot([stillRunning]));

    const report = await reconcile(gateway);
    expect(loads).toEqual([{}]);
    expect(dispatched).toMatchObject([{ task: "2", mode: "retry" }]);
    expect(report.snapshot).toBe(listed);
  });
});
