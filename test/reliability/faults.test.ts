import { afterEach, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../src/harness/stack.js";
import type { FaultSpec } from "../../src/sandbox/index.js";
import { duplicateWork, expectedFinalState, finalState, milestoneDone, TEN_TASK_BODY } from "./support/milestone.js";
import { blindRepeats, isAppRequest } from "./support/request-log.js";

/**
 * Issue #5, reliability 3 (RL-1, RL-3, IC-6): GitHub answers a share of requests with
 * 5xx, secondary-rate-limit 403s with `retry-after`, 429s, or not at all for a while; and
 * sometimes it does a write and then answers 502. The milestone must still finish, and a
 * write whose outcome was unknown must never be sent again before the App looked.
 */
const SPEED = 300;
/** Per-attempt timeout for these tests (wall clock; generous for a loaded CI machine); the long hangs below outlast it. */
const TIMEOUT_MS = 1_500;
const secondaryLimit = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

async function runWithFaults(faults: FaultSpec[]) {
  stack = await startStack({ app: { requestTimeoutMs: TIMEOUT_MS } });
  const ids = faults.map((f) => stack!.sandbox.emulator.addFault(f));
  const milestone = stack.openMilestone("Reliability: faults", TEN_TASK_BODY);
  stack.comment(milestone, "/architect plan");
  const done = await stack.waitFor(() => milestoneDone(milestone), 60_000);
  await stack.settle(5_000);
  return { stack, milestone, done, fired: ids.map((id) => stack!.sandbox.emulator.faults.firedCount(id)) };
}

describe("GitHub failing on a share of requests", () => {
  it("5xx, secondary limits with retry-after, 429 and hangs (seeded): the milestone completes with nothing duplicated", async () => {
    const reads = /^GET /;
    const restWrites = /^(POST|PATCH|PUT|DELETE) \/repos\//;
    // Shares are per matching request, in order; rarer request kinds get larger shares and a
    // cap, so each fault surely fires in a run whatever the interleaving.
    const faults: FaultSpec[] = [
      { kind: "status", status: 502, match: { route: reads }, probability: 0.3, times: 3, seed: 11 },
      { kind: "status", status: 500, match: { route: "/graphql", graphql: "query" }, probability: 0.08, seed: 12 },
      { kind: "status", status: 403, headers: { "retry-after": "2" }, body: secondaryLimit, match: { route: restWrites }, probability: 0.15, seed: 13 },
      { kind: "status", status: 403, headers: { "retry-after": "1" }, body: secondaryLimit, match: { route: "/graphql", graphql: "mutation" }, probability: 0.1, seed: 14 },
      { kind: "status", status: 429, headers: { "retry-after": "1" }, match: { route: /^(GET|POST) / }, probability: 0.04, seed: 15 },
      // Slow answers that still come in time, and a few that outlast the client's timeout.
      { kind: "hang", ms: 20 * SPEED, match: { route: /^(GET|POST) / }, probability: 0.1, seed: 16 },
      { kind: "hang", ms: (TIMEOUT_MS + 300) * SPEED, match: { route: "/graphql", graphql: "query" }, probability: 0.1, times: 2, seed: 17 },
      // A write that fails before GitHub did anything (the App cannot know that).
      { kind: "status", status: 502, match: { route: restWrites }, probability: 0.3, times: 4, seed: 18 },
    ];
    const run = await runWithFaults(faults);
    expect(run.fired.every((n) => n > 0), `every fault fired at least once: ${run.fired.join(", ")}`).toBe(true);
    expect(run.done, `milestone not finished: ${finalState(run.milestone).join("; ")}`).toBe(true);
    expect(finalState(run.milestone)).toEqual(expectedFinalState());
    expect(duplicateWork(run.stack.sandbox.repo, run.milestone)).toEqual([]);
    const log = run.stack.sandbox.emulator.requestLog.entries;
    expect(blindRepeats(log, (e) => e.fault === "status" && e.status >= 500)).toEqual([]);
    // retry-after is obeyed by every write, not only the limited one: after a REST write got
    // "403, retry-after: 2", no App write reaches GitHub for 2 s (pacing alone would allow 1 s).
    const appWrites = log.filter((e) => isAppRequest(e) && e.contentCreating);
    const limited = appWrites.filter((e) => e.status === 403 && e.fault === "status" && e.endpoint.startsWith("POST /repos/"));
    expect(limited.length).toBeGreaterThan(0);
    for (const hit of limited) {
      const next = appWrites.filter((e) => e.at > hit.at).sort((a, b) => a.at - b.at)[0];
      if (next) expect(next.at - hit.at, `${next.endpoint} after the limited ${hit.endpoint}`).toBeGreaterThanOrEqual(2_000 - 50);
    }
  }, 90_000);

  it("writes GitHub committed but answered 502 (plan record, sub-issues, links, claim, dispatch, merge, status) are not repeated blindly and leave no duplicate", async () => {
    const once = (match: FaultSpec["match"]): FaultSpec => ({ kind: "commit-then-fail", status: 502, match, times: 1 });
    const faults: FaultSpec[] = [
      once({ route: "/graphql", graphql: "mutation", document: /\bcreateIssue\(/ }),
      once({ route: "/graphql", graphql: "mutation", document: /\baddBlockedBy\(/ }),
      once({ route: "/graphql", graphql: "mutation", document: /\bcreateRef\(/ }),
      once({ method: "POST", route: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches" }),
      once({ route: "/graphql", graphql: "mutation", document: /\bmergePullRequest\(/ }),
      // The first comment write is the plan command's (label, plan record and answer in one).
      once({ route: "/graphql", graphql: "mutation", document: /\b(addComment|updateIssueComment)\(/ }),
      once({ route: "/graphql", graphql: "mutation", document: /\bupdateIssueComment\(/ }),
    ];
    const run = await runWithFaults(faults);
    expect(run.fired, "each ambiguous write happened once").toEqual(faults.map(() => 1));
    expect(run.done, `milestone not finished: ${finalState(run.milestone).join("; ")}`).toBe(true);
    expect(finalState(run.milestone)).toEqual(expectedFinalState());
    // One sub-issue per key, one run per task, one PR per task, one status comment.
    expect(duplicateWork(run.stack.sandbox.repo, run.milestone)).toEqual([]);
    expect(run.milestone.subIssues).toHaveLength(10);
    expect(run.stack.sandbox.repo.runs.size).toBe(10);
    expect(blindRepeats(run.stack.sandbox.emulator.requestLog.entries, (e) => e.fault === "commit-then-fail")).toEqual([]);
  }, 90_000);
});
