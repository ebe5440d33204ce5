import { describe, expect, it } from "vitest";
import type { RunFacts } from "../../src/core/decide/snapshot.js";
import { makeRun, min } from "../../src/core/decide/test-builders.js";
import { createMemoryRunLedger, newerRun, RUN_LEDGER_FRESH_MS, RUN_LEDGER_MAX_RUNS, runRank } from "../../src/github/run-ledger.js";
import { ManualClock } from "./manual-clock.js";

const REPO = "acme/app";
/** Run 401 (task 4, seq 1) as reported with `status` at minute `at`. */
const report = (status: RunFacts["status"], at: number, over: Partial<RunFacts> = {}): RunFacts =>
  makeRun(4, 1, { status, conclusion: status === "completed" ? "failure" : null, updatedAt: min(at), ...over });
const statusOf = (runs: RunFacts[] | null) => runs?.map((r) => `${r.id}:${r.status}`) ?? null;

// Two reports of one run: the later update wins; at the same timestamp the further status does.
describe("newerRun and runRank", () => {
  const cases: { name: string; known: RunFacts | undefined; incoming: RunFacts; winner: "known" | "incoming" }[] = [
    { name: "nothing known yet", known: undefined, incoming: report("queued", 1), winner: "incoming" },
    { name: "a later update wins over a further status (re-run)", known: report("completed", 10), incoming: report("requested", 11), winner: "incoming" },
    { name: "an earlier update loses even with a further status", known: report("in_progress", 10), incoming: report("completed", 9), winner: "known" },
    { name: "a late in_progress does not undo completed", known: report("completed", 10), incoming: report("in_progress", 5), winner: "known" },
    { name: "same time: completed beats in_progress", known: report("in_progress", 10), incoming: report("completed", 10), winner: "incoming" },
    { name: "same time: completed is not replaced by in_progress", known: report("completed", 10), incoming: report("in_progress", 10), winner: "known" },
    { name: "same time: in_progress beats waiting", known: report("in_progress", 10), incoming: report("waiting", 10), winner: "known" },
    { name: "same time: waiting beats queued", known: report("queued", 10), incoming: report("waiting", 10), winner: "incoming" },
    { name: "same time: pending beats requested", known: report("pending", 10), incoming: report("requested", 10), winner: "known" },
    { name: "same time, same rank (queued vs pending): the incoming one", known: report("queued", 10), incoming: report("pending", 10), winner: "incoming" },
  ];
  it.each(cases)("$name", ({ known, incoming, winner }) => {
    expect(newerRun(known, incoming)).toBe(winner === "known" ? known : incoming);
  });

  it("ranks statuses requested < queued = pending < waiting < in_progress < completed at one time, and one ms later above all", () => {
    const ranks = (["requested", "queued", "pending", "waiting", "in_progress", "completed"] as const).map((s) => runRank(report(s, 10)));
    expect(ranks.map((r) => r - ranks[0]!)).toEqual([0, 1, 1, 2, 3, 4]);
    expect(runRank(report("requested", 10, { updatedAt: min(10) + 1 }))).toBeGreaterThan(runRank(report("completed", 10)));
  });

  it("ranks a status GitHub may add later as waiting: it never replaces a finished report", () => {
    const unknown = report("bogus" as RunFacts["status"], 10);
    expect(runRank(unknown)).toBe(runRank(report("waiting", 10)));
    expect(newerRun(report("completed", 10), unknown).status).toBe("completed");
    expect(newerRun(report("completed", 10), report("bogus" as RunFacts["status"], 9)).status).toBe("completed");
  });
});

// The ledger vouches for a repository's runs only between a priming and freshForMs after it.
describe("memory ledger: freshness window", () => {
  it("is null until primed, fresh up to and including freshForMs, null one ms later", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock, { freshForMs: 1_000 });
    expect(await ledger.runs(REPO)).toBeNull();
    await ledger.primed(REPO, [report("queued", 1)], clock.now());
    const seen: (string[] | null)[] = [];
    for (const step of [0, 999, 1, 1]) {
      clock.advance(step);
      seen.push(statusOf(await ledger.runs(REPO)));
    }
    expect(seen).toEqual([["401:queued"], ["401:queued"], ["401:queued"], null]);
  });

  it("restarts the window on each priming, never moves it back, and keeps repositories apart", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock, { freshForMs: 1_000 });
    await ledger.primed(REPO, [], clock.now());
    clock.advance(800);
    await ledger.primed(REPO, [], clock.now());
    await ledger.primed(REPO, [], clock.now() - 5_000); // a slow list that started long ago
    clock.advance(1_000);
    expect(await ledger.runs(REPO)).toEqual([]);
    expect(await ledger.runs("acme/other")).toBeNull();
    clock.advance(1);
    expect(await ledger.runs(REPO)).toBeNull();
  });

  it("a list of runs created since a time vouches for callers asking from then on, not for earlier ones", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock, { freshForMs: 1_000 });
    clock.advance(10_000);
    await ledger.primed(REPO, [report("queued", 1)], clock.now(), 5_000);
    expect(statusOf(await ledger.runs(REPO, { createdSince: 5_000 }))).toEqual(["401:queued"]);
    expect(statusOf(await ledger.runs(REPO, { createdSince: 7_000 }))).toEqual(["401:queued"]);
    expect(await ledger.runs(REPO, { createdSince: 4_999 })).toBeNull();
    expect(await ledger.runs(REPO)).toBeNull();
    // A full list covers everyone.
    await ledger.primed(REPO, [], clock.now());
    expect(statusOf(await ledger.runs(REPO))).toEqual(["401:queued"]);
    clock.advance(1_001);
    expect(await ledger.runs(REPO, { createdSince: 7_000 })).toBeNull();
  });

  it.each<{ name: string; createdSince: number | undefined; after: number; vouches: boolean }>([
    { name: "runs created after it started, inside the window", createdSince: 500, after: 1_000, vouches: true },
    { name: "runs created exactly when it started", createdSince: 0, after: 0, vouches: true },
    { name: "runs that may predate it", createdSince: -1, after: 0, vouches: false },
    { name: "a caller that cannot say when its runs began", createdSince: undefined, after: 0, vouches: false },
    { name: "newer runs once the window has passed (a webhook may have been lost)", createdSince: 500, after: 1_001, vouches: false },
  ])("unprimed, vouches for $name: $vouches", async ({ createdSince, after, vouches }) => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock, { freshForMs: 1_000 });
    const started = clock.now();
    await ledger.record(REPO, report("queued", 1));
    clock.advance(after);
    const runs = await ledger.runs(REPO, { createdSince: createdSince === undefined ? undefined : started + createdSince });
    expect(statusOf(runs)).toEqual(vouches ? ["401:queued"] : null);
  });

  it("defaults to RUN_LEDGER_FRESH_MS (15 minutes) and RUN_LEDGER_MAX_RUNS", async () => {
    expect([RUN_LEDGER_FRESH_MS, RUN_LEDGER_MAX_RUNS]).toEqual([15 * 60_000, 1_000]);
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock);
    await ledger.primed(REPO, [], clock.now());
    clock.advance(15 * 60_000);
    expect(await ledger.runs(REPO)).toEqual([]);
    clock.advance(1);
    expect(await ledger.runs(REPO)).toBeNull();
  });
});

// Webhook records and lists merge per run id; a record before any priming is kept, not vouched for.
describe("memory ledger: records and merging", () => {
  it("keeps a webhook record made before priming and shows it once primed", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock);
    await ledger.record(REPO, report("in_progress", 3));
    expect(await ledger.runs(REPO)).toBeNull();
    await ledger.primed(REPO, [makeRun(5, 1, { status: "queued", conclusion: null })], clock.now());
    expect(statusOf(await ledger.runs(REPO))).toEqual(["401:in_progress", "501:queued"]);
  });

  it.each([
    { name: "a list older than a webhook does not undo it", webhook: report("completed", 10), listed: report("in_progress", 4), want: "401:completed" },
    { name: "a list newer than a webhook replaces it", webhook: report("queued", 1), listed: report("in_progress", 4), want: "401:in_progress" },
    { name: "same time: the further status stays", webhook: report("completed", 4), listed: report("in_progress", 4), want: "401:completed" },
  ])("$name", async ({ webhook, listed, want }) => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock);
    await ledger.primed(REPO, [], clock.now());
    await ledger.record(REPO, webhook);
    await ledger.primed(REPO, [listed], clock.now());
    expect(statusOf(await ledger.runs(REPO))).toEqual([want]);
  });

  it("keeps the completed report when in_progress arrives after it", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock);
    await ledger.primed(REPO, [], clock.now());
    await ledger.record(REPO, report("completed", 10));
    await ledger.record(REPO, report("in_progress", 8));
    expect(await ledger.runs(REPO)).toEqual([report("completed", 10)]);
  });
});

// Over maxRuns, the runs created earliest are dropped (ties by id), whatever order they came in.
describe("memory ledger: pruning", () => {
  const created = (task: number, at: number) => makeRun(task, 1, { createdAt: min(at) });
  const ids = (runs: RunFacts[] | null) => runs?.map((r) => r.id).sort((a, b) => a - b) ?? null;

  it("a priming beyond maxRuns keeps the newest by createdAt", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock, { maxRuns: 3 });
    await ledger.primed(REPO, [created(1, 50), created(2, 10), created(3, 40), created(4, 20), created(5, 30)], clock.now());
    expect(ids(await ledger.runs(REPO))).toEqual([101, 301, 501]);
  });

  it("at equal createdAt the lower id goes first; a record beyond maxRuns prunes too", async () => {
    const clock = new ManualClock();
    const ledger = createMemoryRunLedger(clock, { maxRuns: 2 });
    await ledger.primed(REPO, [created(7, 10), created(6, 10)], clock.now());
    await ledger.record(REPO, created(8, 10));
    expect(ids(await ledger.runs(REPO))).toEqual([701, 801]);
  });
});
