import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { classifyGraphql, classifyRequest } from "../../src/github/request-kind.js";
import { realClock, scaledClock, type Clock } from "../../src/shared/clock.js";

/**
 * Bottleneck runs on wall-clock timers, so these tests fake them (vitest's fake timers
 * replace setTimeout and Date) and read grant times on the real clock, which then moves
 * only when the test advances it. Each wait is rounded up to whole milliseconds plus one
 * (write-limiter.ts), so grants may be up to a few milliseconds late, never early.
 */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Let fake time run, timer by timer, until `promise` settles (or give up after `maxMs` of fake time). */
async function drive<T>(promise: Promise<T>, maxMs = 10 * 3_600_000): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true)).catch(() => {});
  const start = Date.now();
  while (!done && Date.now() - start < maxMs) {
    // Step to the next timer, but let promise chains between timers settle first.
    await vi.advanceTimersByTimeAsync(0);
    if (!done) await vi.advanceTimersToNextTimerAsync();
  }
  return promise;
}

/** Send `costs` writes back to back; return when each was let through, relative to start. */
async function sendTimes(costs: number[], budget: Parameters<typeof createMemoryWriteLimiter>[1], clock: Clock = realClock): Promise<number[]> {
  const start = clock.now();
  const limiter = createMemoryWriteLimiter(clock, budget);
  const times: number[] = [];
  for (const cost of costs) {
    await drive(limiter.acquire(cost));
    times.push(clock.now() - start);
  }
  await limiter.close?.();
  return times;
}

/** Each grant is at or after its wanted time, and no more than `slack` ms after it. */
function expectTimes(got: number[], want: number[], slack = 10): void {
  expect(got).toHaveLength(want.length);
  got.forEach((t, i) => {
    expect(t, `grant ${i}: ${got.join(", ")}`).toBeGreaterThanOrEqual(want[i]!);
    expect(t, `grant ${i}: ${got.join(", ")}`).toBeLessThanOrEqual(want[i]! + slack);
  });
}

describe("write limiter (Bottleneck, in memory)", () => {
  it.each([
    { name: "one per second by default", costs: [1, 1, 1], budget: {}, want: [0, 1000, 2000] },
    { name: "minute budget: the 4th of 3/min waits for the first to leave the window", costs: [1, 1, 1, 1], budget: { minWriteIntervalMs: 0, perMinute: 3 }, want: [0, 0, 0, 60_000] },
    { name: "a heavy request uses several units", costs: [2, 2], budget: { minWriteIntervalMs: 0, perMinute: 3 }, want: [0, 60_000] },
    { name: "hour budget", costs: [1, 1, 1], budget: { minWriteIntervalMs: 0, perMinute: 100, perHour: 2 }, want: [0, 0, 3_600_000] },
    { name: "a request above the whole budget waits for an empty window, not forever", costs: [1, 10], budget: { minWriteIntervalMs: 0, perMinute: 5 }, want: [0, 60_000] },
  ])("$name", async ({ costs, budget, want }) => {
    expectTimes(await sendTimes(costs, budget), want);
  });

  it("the minute window slides: a burst at its end does not buy a second burst at the next minute's start", async () => {
    // 3/min: writes at 0, 50 s, 55 s; the 4th may go at 60 s (the first left), the 5th not before 110 s.
    const limiter = createMemoryWriteLimiter(realClock, { minWriteIntervalMs: 0, perMinute: 3 });
    const start = Date.now();
    const at: number[] = [];
    const send = async () => {
      await drive(limiter.acquire());
      at.push(Date.now() - start);
    };
    await send();
    await vi.advanceTimersByTimeAsync(50_000);
    await send();
    await vi.advanceTimersByTimeAsync(5_000);
    await send();
    await send();
    await send();
    expectTimes(at, [0, 50_000, 55_000, 60_000, 110_000], 200);
    await limiter.close?.();
  });

  it("scales every timing by the clock's speed (a 300x sandbox clock)", async () => {
    // One wall millisecond is 300 ms here, and each wait is rounded up to whole wall
    // milliseconds plus one: never early, at most a few wall milliseconds late.
    const clock = scaledClock(300);
    const spaced = await sendTimes([1, 1, 1], {}, clock);
    const gaps = spaced.slice(1).map((t, i) => t - spaced[i]!);
    expect(gaps.every((g) => g >= 1000 && g <= 2100), `gaps ${gaps.join(", ")}`).toBe(true);
    const windowed = await sendTimes([1, 1, 1, 1], { minWriteIntervalMs: 0, perMinute: 3 }, clock);
    expect(windowed[3]! - windowed[0]!).toBeGreaterThanOrEqual(60_000);
    expect(windowed[3]! - windowed[0]!).toBeLessThanOrEqual(62_000);
  });

  it("serves concurrent writers one after another", async () => {
    const limiter = createMemoryWriteLimiter(realClock);
    const times: number[] = [];
    const start = Date.now();
    await drive(Promise.all([1, 2, 3].map(() => limiter.acquire().then(() => times.push(Date.now() - start)))));
    expectTimes(times, [0, 1000, 2000]);
    await limiter.close?.();
  });

  it("holds every write back until a penalty ends, then keeps a second between writes", async () => {
    const limiter = createMemoryWriteLimiter(realClock);
    const start = Date.now();
    limiter.penalize(30_000);
    const times: number[] = [];
    await drive(Promise.all([1, 2].map(() => limiter.acquire().then(() => times.push(Date.now() - start)))));
    expectTimes(times, [30_000, 31_000]);
    await limiter.close?.();
  });

  it("a penalty given while writes wait holds them too", async () => {
    const limiter = createMemoryWriteLimiter(realClock);
    const start = Date.now();
    await drive(limiter.acquire());
    limiter.penalize(10_000);
    await drive(limiter.acquire());
    expectTimes([Date.now() - start], [10_000]);
    await limiter.close?.();
  });
});

describe("request kind", () => {
  it.each([
    ["GET", "/repos/{owner}/{repo}", undefined, "read", 1],
    ["POST", "/repos/{owner}/{repo}/git/refs", undefined, "write", 1],
    ["DELETE", "/repos/{owner}/{repo}/labels/x", undefined, "write", 1],
    ["POST", "/graphql", "query Q { viewer { login } }", "read", 1],
    ["POST", "/graphql", "{ viewer { login } }", "read", 1],
    // GitHub counts content-generating requests: a mutation creating two issues is one.
    ["POST", "https://api.github.com/graphql", "mutation M { a: createIssue(input: $a) { clientMutationId } b: createIssue(input: $b) { clientMutationId } c: closeIssue(input: $c) { clientMutationId } }", "write", 1],
    ["POST", "/graphql", "mutation M { closeIssue(input: $c) { clientMutationId } }", "write", 1],
    ["POST", "/graphql", "this is not graphql {", "write", 1],
    // Minting an installation token is not a write: it creates no content and is not paced.
    ["POST", "/app/installations/{installation_id}/access_tokens", undefined, "read", 1],
    ["POST", "/app/installations/42/access_tokens", undefined, "read", 1],
  ])("%s %s %s → %s (cost %d)", (method, url, query, kind, cost) => {
    expect(classifyRequest(method, url, query)).toMatchObject({ kind, cost });
  });

  it("labels GraphQL operations by type and name", () => {
    expect(classifyGraphql("query ArchitectSnapshot { viewer { login } }").label).toBe("graphql query ArchitectSnapshot");
  });
});
