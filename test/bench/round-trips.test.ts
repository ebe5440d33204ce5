import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../src/sandbox/emulator/request-log.js";
import { mergeToDispatch } from "../../bench/sandbox/round-trips.js";
import { requestsPerTask } from "../../bench/sandbox/requests-per-task.js";
import { planPath, type StackRunResult } from "../../bench/sandbox/stack-run.js";

const BOT = "architect[bot]";
const DISPATCH = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const entry = (endpoint: string, at: number, actor: string | null = BOT, durationMs = 1): RequestLogEntry => ({
  method: endpoint.split(" ")[0] as string,
  endpoint,
  path: "/",
  status: 200,
  at,
  durationMs,
  actor,
  contentCreating: !endpoint.startsWith("GET") && !endpoint.endsWith("(query)"),
  fault: null,
});

/** A synthetic run; speed 1 so wall and sandbox milliseconds compare directly. */
function result(allRequests: RequestLogEntry[], merges: { pull: number; logLength: number }[], tasks = 2): StackRunResult {
  return {
    name: "synthetic",
    run: { milestone: {} as never, tasks: Array.from({ length: tasks }, () => ({}) as never), allDone: true, makespanMs: 0, requests: {}, totalRequests: 0 },
    appRequests: allRequests.filter((e) => e.actor === BOT || e.actor === null),
    allRequests,
    bot: BOT,
    merges,
    webhooks: { deliveries: 0, non2xx: 0, p50Ms: NaN, p99Ms: NaN, maxMs: 0 },
    planPath: { toSubIssues: null, toFirstDispatch: null, pathToFirstDispatch: [] },
    wallSeconds: 1,
    speed: 1,
  };
}

describe("mergeToDispatch", () => {
  it("counts the app's requests after the merge up to and including the dependent's dispatch", () => {
    const log = [
      entry("POST /graphql (query)", 0),
      entry("POST /graphql (mutation)", 10), // the merge: the world saw it while log length was 1
      entry("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", 15, "reviewer"), // not the app
      entry("POST /graphql (query)", 20),
      entry("POST /repos/{owner}/{repo}/git/refs", 30),
      entry(DISPATCH, 40),
      entry("POST /graphql (mutation)", 50),
    ];
    const [hop] = mergeToDispatch(result(log, [{ pull: 7, logLength: 1 }]));
    expect(hop).toEqual({ pull: 7, requests: 3, roundTrips: 3, path: ["POST /graphql (query)", "POST /repos/{owner}/{repo}/git/refs", DISPATCH], sandboxMs: 30 });
  });

  it("counts requests in flight together as one round trip", () => {
    const log = [entry("POST /graphql (mutation)", 0), entry("POST /graphql (query)", 10, BOT, 20), entry("POST /repos/{owner}/{repo}/git/refs", 12, BOT, 5), entry(DISPATCH, 40)];
    const [hop] = mergeToDispatch(result(log, [{ pull: 3, logLength: 0 }]));
    expect(hop?.requests).toBe(3);
    expect(hop?.roundTrips).toBe(2);
  });

  it("skips the last merge of a chain, which has no dependent to dispatch", () => {
    const log = [entry("POST /graphql (mutation)", 0), entry(DISPATCH, 5), entry("POST /graphql (mutation)", 10), entry("POST /graphql (query)", 20)];
    expect(mergeToDispatch(result(log, [{ pull: 1, logLength: 0 }, { pull: 2, logLength: 2 }])).map((h) => h.pull)).toEqual([1]);
  });
});

describe("requestsPerTask", () => {
  it("divides every app request, reads included, by the number of tasks", () => {
    const log = [entry("GET /app", 0, null), entry("POST /graphql (query)", 1), entry("POST /graphql (query)", 2), entry("POST /graphql (mutation)", 3), entry("GET /x", 4, "someone")];
    const r = requestsPerTask(result(log, [], 2));
    expect(r).toMatchObject({ total: 4, perTask: 2, graphqlQueries: 2, graphqlMutations: 1, contentCreating: 1 });
    expect(r.byEndpoint).toEqual({ "POST /graphql (query)": 1, "GET /app": 0.5, "POST /graphql (mutation)": 0.5 });
  });
});

describe("planPath (from /architect plan to the first sub-issue and the first dispatch)", () => {
  it("counts the app's round trips, skipping others' requests, overlaps counted once", () => {
    const log = [
      entry("GET /app", 0, null), // before the comment: not on the path
      entry("POST /graphql (query)", 10),
      entry("POST /graphql (mutation)", 20), // plan record
      entry("GET /repos/{owner}/{repo}", 30, "maintainer"),
      entry("POST /graphql (query)", 40),
      entry("POST /graphql (mutation)", 50), // sub-issues (the world saw them at log length 5)
      entry("POST /graphql (mutation)", 60, BOT, 5), // links, claims (in flight with the next)
      entry("POST /graphql (query)", 62),
      entry(DISPATCH, 70),
    ];
    const path = planPath(log, 1, 5, BOT, 1);
    expect(path.toSubIssues).toBe(4);
    expect(path.toFirstDispatch).toBe(6);
    expect(path.pathToFirstDispatch).toHaveLength(7);
  });

  it("says null when there was no sub-issue or no dispatch", () => {
    expect(planPath([entry("POST /graphql (query)", 0)], 0, null, BOT, 1)).toEqual({ toSubIssues: null, toFirstDispatch: null, pathToFirstDispatch: [] });
  });
});
