import "./nock-polyfill.js";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AmbiguousWriteError } from "../../src/github/gateway.js";
import { installHttpPolicy, type RequestRecord } from "../../src/github/http-policy.js";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { ManualClock } from "./manual-clock.js";
import { realClock, scaledClock } from "../../src/shared/clock.js";

const API = "https://api.github.com";

function setup(options: { fetch?: typeof fetch; timeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const records: RequestRecord[] = [];
  const octokit = new ProbotOctokit({
    auth: { token: "ghs_test" },
    throttle: { enabled: false },
    retry: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  // The limiter (Bottleneck) runs on wall-clock timers, which a ManualClock cannot drive; a
  // fast clock keeps its waits to a millisecond or two. The pacing tests below use a real
  // clock on faked timers instead, where the limiter's waits can be read exactly.
  const limiter = createMemoryWriteLimiter(scaledClock(10_000));
  installHttpPolicy(octokit, { clock, timeoutClock: clock, limiter, onRequest: (r) => records.push(r), timeoutMs: options.timeoutMs });
  return { clock, octokit, records };
}

/** Policy and limiter on the real clock, with vitest's fake timers moving it. */
function setupOnFakeTimers() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  const octokit = new ProbotOctokit({
    auth: { token: "ghs_test" },
    throttle: { enabled: false },
    retry: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  installHttpPolicy(octokit, { clock: realClock, timeoutClock: realClock, limiter: createMemoryWriteLimiter(realClock) });
  return { clock: realClock, octokit };
}

/**
 * Let fake time run, timer by timer, until `promise` settles. Before each jump the real
 * event loop gets a few turns (nock answers through it), so time jumps only when everything
 * is waiting on a timer.
 */
async function drive<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true)).catch(() => {});
  for (let i = 0; !done && i < 10_000; i++) {
    for (let turn = 0; turn < 100 && !done; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (!done) await vi.advanceTimersToNextTimerAsync();
  }
  return promise;
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("rate limits", () => {
  it("honours retry-after on a secondary limit and then succeeds, even for a write", async () => {
    const { clock, octokit, records } = setup();
    nock(API)
      .post("/repos/o/r/issues/1/comments")
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "7" })
      .post("/repos/o/r/issues/1/comments")
      .reply(201, { id: 5 });
    const res = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "hi",
    });
    expect(res.status).toBe(201);
    expect(clock.sleeps).toContain(7000);
    expect(records.map((r) => r.status)).toEqual([403, 201]);
  });

  it("waits until x-ratelimit-reset + 1 s when the primary limit is exhausted", async () => {
    const { clock, octokit } = setup();
    const reset = Math.floor(clock.now() / 1000) + 30;
    let secondAt = 0;
    nock(API)
      .get("/repos/o/r")
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) })
      .get("/repos/o/r")
      .reply(() => {
        secondAt = clock.now();
        return [200, { id: 1 }];
      });
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    expect(secondAt).toBe(reset * 1000 + 1000);
  });

  it("gives up after a bounded number of rate-limited tries", async () => {
    const { octokit, records } = setup();
    nock(API).get("/repos/o/r").times(4).reply(429, { message: "slow down" }, { "retry-after": "1" });
    await expect(octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" })).rejects.toMatchObject({ status: 429 });
    expect(records).toHaveLength(4);
  });

  it("makes the next write wait out retry-after even when the limited request gave up", async () => {
    const { clock, octokit } = setupOnFakeTimers();
    nock(API).post("/repos/o/r/issues/1/comments").times(4).reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "9" });
    let nextAt = 0;
    nock(API)
      .post("/repos/o/r/issues/2/comments")
      .reply(() => {
        nextAt = clock.now();
        return [201, { id: 6 }];
      });
    const comment = (issue_number: number) => octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: "o", repo: "r", issue_number, body: "hi" });
    await expect(drive(comment(1))).rejects.toMatchObject({ status: 403 });
    const gaveUpAt = clock.now();
    await drive(comment(2));
    expect(nextAt - gaveUpAt).toBeGreaterThanOrEqual(9_000);
  });

  it("does not retry a 403 that is a missing permission", async () => {
    const { octokit, records } = setup();
    nock(API).get("/repos/o/r").reply(403, { message: "Resource not accessible by integration" });
    await expect(octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" })).rejects.toMatchObject({ status: 403 });
    expect(records).toHaveLength(1);
  });

  it("retries a GraphQL answer of RATE_LIMITED after the reset", async () => {
    const { clock, octokit } = setup();
    const reset = Math.floor(clock.now() / 1000) + 60;
    nock(API)
      .post("/graphql")
      .reply(200, { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] }, {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset),
      })
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "x" } } });
    const res = await octokit.request("POST /graphql", { query: "query { viewer { login } }" });
    expect(res.data).toEqual({ data: { viewer: { login: "x" } } });
    expect(clock.now()).toBeGreaterThanOrEqual(reset * 1000 + 1000);
  });
});

describe("server errors", () => {
  it.each([
    ["REST POST", () => nock(API).post("/repos/o/r/git/refs").reply(502, "bad gateway"), (o: InstanceType<typeof ProbotOctokit>) =>
      o.request("POST /repos/{owner}/{repo}/git/refs", { owner: "o", repo: "r", ref: "refs/heads/x", sha: "a".repeat(40) })],
    ["GraphQL mutation", () => nock(API).post("/graphql").reply(500, "oops"), (o: InstanceType<typeof ProbotOctokit>) =>
      o.request("POST /graphql", { query: "mutation M { addComment(input: {subjectId: \"x\", body: \"y\"}) { clientMutationId } }" })],
  ])("turns a 5xx on a %s into AmbiguousWriteError without resending", async (_name, intercept, send) => {
    const { octokit, records } = setup();
    const scope = intercept();
    // A second interceptor would be consumed if the policy resent the write.
    const resend = intercept();
    await expect(send(octokit)).rejects.toBeInstanceOf(AmbiguousWriteError);
    expect(scope.isDone()).toBe(true);
    expect(resend.pendingMocks()).toHaveLength(1);
    expect(records).toHaveLength(1);
  });

  it.each([
    ["REST GET", () => nock(API).get("/repos/o/r").reply(503, "down").get("/repos/o/r").reply(200, { ok: 1 }), (o: InstanceType<typeof ProbotOctokit>) =>
      o.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" })],
    ["GraphQL query", () => nock(API).post("/graphql").reply(502, "x").post("/graphql").reply(200, { data: { ok: 1 } }), (o: InstanceType<typeof ProbotOctokit>) =>
      o.request("POST /graphql", { query: "query Q { viewer { login } }" })],
  ])("retries a %s after a 5xx with backoff", async (_name, intercept, send) => {
    const { clock, octokit, records } = setup();
    intercept();
    const res = await send(octokit);
    expect(res.status).toBe(200);
    expect(records.map((r) => r.status)).toEqual([expect.any(Number), 200]);
    expect(records[0]!.status).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps).toEqual([1000]);
  });

  it("times a hanging write out on the policy clock and reports it as ambiguous", async () => {
    let clockRef: ManualClock | null = null;
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
        // The request is in flight; now let the policy's timer pass.
        queueMicrotask(() => clockRef!.advance(10_000));
      });
    const { clock, octokit } = setup({ fetch: hanging, timeoutMs: 10_000 });
    clockRef = clock;
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "o", repo: "r", title: "t" }),
    ).rejects.toBeInstanceOf(AmbiguousWriteError);
  });
  it("retries a read that timed out, with a fresh timer", async () => {
    let clockRef: ManualClock | null = null;
    let calls = 0;
    const firstHangs: typeof fetch = (_url, init) => {
      calls++;
      if (calls > 1) return Promise.resolve(new Response(JSON.stringify({ ok: true }), { status: 200, headers: { "content-type": "application/json" } }));
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
        queueMicrotask(() => clockRef!.advance(10_000));
      });
    };
    const { clock, octokit } = setup({ fetch: firstHangs, timeoutMs: 10_000 });
    clockRef = clock;
    const res = await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    expect(res.data).toEqual({ ok: true });
    expect(calls).toBe(2);
  });
});

describe("pacing", () => {
  it("spaces writes at least a second apart but lets reads through", async () => {
    const { clock, octokit } = setupOnFakeTimers();
    const times: Record<string, number[]> = { write: [], read: [] };
    nock(API)
      .post("/repos/o/r/labels")
      .times(3)
      .reply(() => {
        times.write!.push(clock.now());
        return [201, {}];
      })
      .get("/repos/o/r/labels")
      .times(3)
      .reply(() => {
        times.read!.push(clock.now());
        return [200, []];
      });
    const start = clock.now();
    for (let i = 0; i < 3; i++) {
      await drive(octokit.request("POST /repos/{owner}/{repo}/labels", { owner: "o", repo: "r", name: `l${i}` }));
      await drive(octokit.request("GET /repos/{owner}/{repo}/labels", { owner: "o", repo: "r" }));
    }
    // Bottleneck's waits are rounded up to whole milliseconds plus one (write-limiter.ts).
    const writes = times.write!.map((t) => t - start);
    const reads = times.read!.map((t) => t - start);
    expect(writes[0]).toBeLessThan(1000);
    for (const i of [1, 2]) expect(writes[i]! - writes[i - 1]!, writes.join(", ")).toBeGreaterThanOrEqual(1000);
    // Each read went out before the next write's second had passed: reads are not paced.
    for (const i of [0, 1]) expect(reads[i]!, `reads ${reads.join(", ")}, writes ${writes.join(", ")}`).toBeLessThan(writes[i]! + 1000);
  });
});
