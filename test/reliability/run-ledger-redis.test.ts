import { afterEach, describe, expect, it } from "vitest";
import { createRedisRunLedger } from "../../src/app/redis-run-ledger.js";
import type { RunFacts } from "../../src/core/decide/snapshot.js";
import { makeRun, min } from "../../src/core/decide/test-builders.js";
import { ManualClock } from "../github/manual-clock.js";
import { redisForThisFile } from "./support/redis-server.js";

/**
 * The run ledger replicas share through a real redis-server (started here; a missing
 * binary fails the file with REDIS_MISSING, it is never skipped).
 */
const redis = redisForThisFile();
const client = () => redis.client();
afterEach(() => redis.disconnectClients());

const REPO = "acme/app";
let prefixes = 0;
/** Two replicas' ledgers: two clients, one prefix (fresh per call), one clock. */
function replicas(options: { freshForMs?: number; maxRuns?: number } = {}) {
  const clock = new ManualClock();
  const prefix = `ledger${++prefixes}:`;
  return { clock, prefix, a: createRedisRunLedger(client(), clock, prefix, options), b: createRedisRunLedger(client(), clock, prefix, options) };
}
const report = (status: RunFacts["status"], at: number): RunFacts =>
  makeRun(4, 1, { status, conclusion: status === "completed" ? "failure" : null, updatedAt: min(at) });
const byId = (runs: RunFacts[] | null) => runs && [...runs].sort((x, y) => x.id - y.id);

// What one replica records, the other reads; the listing time is shared too.
describe("redis run ledger: two replicas", () => {
  it("each sees the other's records and primings", async () => {
    const { clock, a, b } = replicas();
    await a.primed(REPO, [makeRun(3, 1, { status: "queued", conclusion: null })], clock.now());
    await b.record(REPO, report("in_progress", 2));
    expect(byId(await a.runs(REPO))).toEqual([makeRun(3, 1, { status: "queued", conclusion: null }), report("in_progress", 2)]);
    expect(byId(await b.runs(REPO))).toEqual(byId(await a.runs(REPO)));
  });

  it("keeps repositories and prefixes apart", async () => {
    const one = replicas();
    const two = replicas();
    await one.a.primed(REPO, [report("queued", 1)], one.clock.now());
    expect(await one.b.runs("acme/other")).toBeNull();
    expect(await two.a.runs(REPO)).toBeNull();
  });
});

// The newer report of a run wins whichever replica got it and in whatever order.
describe("redis run ledger: merging", () => {
  it.each([
    { name: "completed, then a late in_progress", first: report("completed", 10), then: report("in_progress", 8), want: "completed" },
    { name: "in_progress, then completed", first: report("in_progress", 8), then: report("completed", 10), want: "completed" },
    { name: "same time: completed, then in_progress", first: report("completed", 10), then: report("in_progress", 10), want: "completed" },
    { name: "same time: in_progress, then completed", first: report("in_progress", 10), then: report("completed", 10), want: "completed" },
    { name: "a re-run (requested later) replaces completed", first: report("completed", 10), then: report("requested", 12), want: "requested" },
  ])("$name → $want", async ({ first, then, want }) => {
    const { clock, a, b } = replicas();
    await a.primed(REPO, [], clock.now());
    await a.record(REPO, first);
    await b.record(REPO, then);
    const runs = await b.runs(REPO);
    expect(runs?.map((r) => r.status)).toEqual([want]);
    expect(runs?.[0]).toEqual(want === first.status ? first : then);
  });

  it("a list older than a webhook's report does not undo it", async () => {
    const { clock, a, b } = replicas();
    await a.record(REPO, report("completed", 10));
    await b.primed(REPO, [report("queued", 1)], clock.now());
    expect(await a.runs(REPO)).toEqual([report("completed", 10)]);
  });
});

// Runs are vouched for only between a priming and freshForMs after it.
describe("redis run ledger: freshness", () => {
  it("null before priming (a record alone is kept, not vouched for), fresh through freshForMs, null 1 ms later", async () => {
    const { clock, a, b } = replicas({ freshForMs: 1_000 });
    await a.record(REPO, report("in_progress", 2));
    expect(await b.runs(REPO)).toBeNull();
    await b.primed(REPO, [], clock.now());
    expect(await a.runs(REPO)).toEqual([report("in_progress", 2)]);
    clock.advance(1_000);
    expect(await a.runs(REPO)).toEqual([report("in_progress", 2)]);
    clock.advance(1);
    expect(await a.runs(REPO)).toBeNull();
    expect(await b.runs(REPO)).toBeNull();
  });

  it("a list of runs created since a time vouches, on every replica, for callers asking from then on only", async () => {
    const { clock, a, b } = replicas({ freshForMs: 1_000 });
    await a.primed(REPO, [report("queued", 1)], clock.now(), clock.now() - 500);
    expect(await b.runs(REPO, { createdSince: clock.now() - 500 })).toEqual([report("queued", 1)]);
    expect(await b.runs(REPO, { createdSince: clock.now() - 501 })).toBeNull();
    expect(await b.runs(REPO)).toBeNull();
    await b.primed(REPO, [], clock.now());
    expect(await a.runs(REPO)).toEqual([report("queued", 1)]);
    clock.advance(1_001);
    expect(await a.runs(REPO, { createdSince: clock.now() })).toBeNull();
  });

  it("a priming restarts the window, an older listing time does not move it back", async () => {
    const { clock, a, b } = replicas({ freshForMs: 1_000 });
    await a.primed(REPO, [], clock.now());
    clock.advance(800);
    await b.primed(REPO, [], clock.now());
    await a.primed(REPO, [], clock.now() - 5_000);
    clock.advance(1_000);
    expect(await a.runs(REPO)).toEqual([]);
    clock.advance(1);
    expect(await a.runs(REPO)).toBeNull();
  });
});

// A priming that leaves more than maxRuns drops the runs created first.
describe("redis run ledger: pruning", () => {
  it("keeps the newest maxRuns by createdAt, records included", async () => {
    const { clock, prefix, a, b } = replicas({ maxRuns: 3 });
    const created = (task: number, at: number) => makeRun(task, 1, { createdAt: min(at) });
    await b.record(REPO, created(9, 5));
    await b.record(REPO, created(8, 45));
    await a.primed(REPO, [created(1, 50), created(2, 10), created(3, 40), created(4, 20)], clock.now());
    expect((await a.runs(REPO))?.map((r) => r.id).sort((x, y) => x - y)).toEqual([101, 301, 801]);
    expect(await client().hlen(`${prefix}runs:${REPO}`)).toBe(3);
  });

  it("a record beyond maxRuns prunes too, and the entries expire when nobody writes", async () => {
    const { prefix, b } = replicas({ maxRuns: 2 });
    for (const [task, at] of [[1, 10], [2, 20], [3, 30], [4, 5]] as const) await b.record(REPO, makeRun(task, 1, { createdAt: min(at) }));
    expect((await client().hkeys(`${prefix}runs:${REPO}`)).sort()).toEqual(["201", "301"]);
    expect(await client().pttl(`${prefix}runs:${REPO}`)).toBeGreaterThan(0);
  });

  it("forgets a damaged entry instead of failing", async () => {
    const { clock, prefix, a } = replicas();
    await a.primed(REPO, [report("queued", 1)], clock.now());
    await client().hset(`${prefix}runs:${REPO}`, "999", "5|{not json");
    expect(await a.runs(REPO)).toEqual([report("queued", 1)]);
  });
});
