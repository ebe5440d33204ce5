import { describe, expect, it } from "vitest";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { classifyGraphql, classifyRequest } from "../../src/github/request-kind.js";
import { ManualClock } from "./manual-clock.js";

/** Send `costs` writes back to back; return when each was let through, relative to start. */
async function sendTimes(costs: number[], budget: Parameters<typeof createMemoryWriteLimiter>[1]): Promise<number[]> {
  const clock = new ManualClock();
  const start = clock.now();
  const limiter = createMemoryWriteLimiter(clock, budget);
  const times: number[] = [];
  for (const cost of costs) {
    await limiter.acquire(cost);
    times.push(clock.now() - start);
  }
  return times;
}

describe("memory write limiter", () => {
  it.each([
    { name: "one per second by default", costs: [1, 1, 1], budget: {}, want: [0, 1000, 2000] },
    { name: "minute budget: the 4th of 3/min waits for the first to leave the window", costs: [1, 1, 1, 1], budget: { minWriteIntervalMs: 0, perMinute: 3 }, want: [0, 0, 0, 60_000] },
    { name: "a heavy request uses several units", costs: [2, 2], budget: { minWriteIntervalMs: 0, perMinute: 3 }, want: [0, 60_000] },
    { name: "hour budget", costs: [1, 1, 1], budget: { minWriteIntervalMs: 0, perMinute: 100, perHour: 2 }, want: [0, 0, 3_600_000] },
    { name: "a request above the whole budget waits for an empty window, not forever", costs: [1, 10], budget: { minWriteIntervalMs: 0, perMinute: 5 }, want: [0, 60_000] },
  ])("$name", async ({ costs, budget, want }) => {
    expect(await sendTimes(costs, budget)).toEqual(want);
  });

  it("serves concurrent writers one after another", async () => {
    const clock = new ManualClock();
    const limiter = createMemoryWriteLimiter(clock);
    const times: number[] = [];
    await Promise.all([1, 2, 3].map(() => limiter.acquire().then(() => times.push(clock.now()))));
    const start = times[0]!;
    expect(times.map((t) => t - start)).toEqual([0, 1000, 2000]);
  });

  it("holds every write back until a penalty ends", async () => {
    const clock = new ManualClock();
    const limiter = createMemoryWriteLimiter(clock);
    const start = clock.now();
    limiter.penalize(start + 30_000);
    await limiter.acquire();
    expect(clock.now() - start).toBe(30_000);
  });
});

describe("request kind", () => {
  it.each([
    ["GET", "/repos/{owner}/{repo}", undefined, "read", 1],
    ["POST", "/repos/{owner}/{repo}/git/refs", undefined, "write", 1],
    ["DELETE", "/repos/{owner}/{repo}/labels/x", undefined, "write", 1],
    ["POST", "/graphql", "query Q { viewer { login } }", "read", 1],
    ["POST", "/graphql", "{ viewer { login } }", "read", 1],
    ["POST", "https://api.github.com/graphql", "mutation M { a: createIssue(input: $a) { clientMutationId } b: createIssue(input: $b) { clientMutationId } c: closeIssue(input: $c) { clientMutationId } }", "write", 2],
    ["POST", "/graphql", "mutation M { closeIssue(input: $c) { clientMutationId } }", "write", 1],
    ["POST", "/graphql", "this is not graphql {", "write", 1],
  ])("%s %s %s → %s (cost %d)", (method, url, query, kind, cost) => {
    expect(classifyRequest(method, url, query)).toMatchObject({ kind, cost });
  });

  it("labels GraphQL operations by type and name", () => {
    expect(classifyGraphql("query ArchitectSnapshot { viewer { login } }").label).toBe("graphql query ArchitectSnapshot");
  });
});
