import "./nock-polyfill.js";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeMarker } from "../../src/core/markers/markers.js";
import { AmbiguousWriteError, type BatchOp } from "../../src/github/gateway.js";
import { installHttpPolicy } from "../../src/github/http-policy.js";
import { combineProtection, createOctokitGateway } from "../../src/github/octokit-gateway.js";
import { createMemoryWriteLimiter } from "../../src/github/write-limiter.js";
import { scaledClock } from "../../src/shared/clock.js";
/** The limiter (Bottleneck) waits on wall-clock timers, which a ManualClock cannot drive; this keeps its waits to a millisecond or two. */
const fastLimiterClock = scaledClock(10_000);
import { BOT, MILESTONE, controlMarker, gqlComment, gqlIssue, gqlPull, snapshotData, taskMarker } from "./fixtures.js";
import { ManualClock } from "./manual-clock.js";

const API = "https://api.github.com";

function setup(options: { policy?: boolean } = {}) {
  const clock = new ManualClock();
  const octokit = new ProbotOctokit({ auth: { token: "ghs_test" }, throttle: { enabled: false }, retry: { enabled: false } });
  if (options.policy) installHttpPolicy(octokit, { clock, limiter: createMemoryWriteLimiter(fastLimiterClock) });
  const gateway = createOctokitGateway({ octokit, owner: "o", repo: "r", clock });
  return { clock, gateway };
}

/** Record every GraphQL body sent, answering each with the next response. */
function graphqlReplies(...responses: unknown[]) {
  const bodies: { query: string; variables: Record<string, unknown> }[] = [];
  let scope = nock(API);
  for (const response of responses) {
    scope = scope.post("/graphql").reply(200, async (request: Request) => {
      bodies.push((await request.json()) as (typeof bodies)[number]);
      return response as nock.Body;
    });
  }
  return bodies;
}

const PROTECTION = {
  required_status_checks: { strict: false, contexts: ["ci"], checks: [{ context: "ci", app_id: null }, { context: "architect/dag", app_id: 1 }] },
  required_pull_request_reviews: { required_approving_review_count: 1 },
};

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("loadSnapshot", () => {
  const subIssues = [
    gqlIssue(11, taskMarker("api"), { labels: { nodes: [{ name: "architect:running" }] }, blockedBy: { nodes: [] } }),
    gqlIssue(12, taskMarker("ui", { dependsOn: ["api"] }), { blockedBy: { nodes: [{ number: 11 }] } }),
    gqlIssue(13, "a sub-issue someone added by hand", { blockedBy: { nodes: [] } }),
    gqlIssue(14, taskMarker("stray", { milestone: 99 }), { blockedBy: { nodes: [] } }),
  ];
  const comments = [
    gqlComment(1, `forged ${controlMarker(["evil"])}`, { __typename: "User", login: "mallory" }),
    gqlComment(2, `plan ${controlMarker(["ui", "api"])}`, { __typename: "Bot", login: "architect" }),
    gqlComment(3, `status ${encodeMarker("status", { milestone: MILESTONE, dispatches: { "11": { seq: 1, at: 5 } } })}`, { __typename: "Bot", login: "architect" }),
  ];
  const checkRollup = {
    contexts: {
      nodes: [
        { __typename: "CheckRun", id: "CR_1", name: "ci", status: "COMPLETED", conclusion: "FAILURE", title: "2 tests failed", summary: "see log", checkSuite: { app: { slug: "github-actions" } } },
        { __typename: "CheckRun", id: "CR_2", name: "lint", status: "IN_PROGRESS", conclusion: null, title: null, summary: null, checkSuite: { app: { slug: "github-actions" } } },
        { __typename: "StatusContext", context: "legacy", state: "SUCCESS", description: "ok" },
      ],
    },
  };
  const refs = [
    {
      name: "11-api",
      target: { oid: "b".repeat(40) },
      associatedPullRequests: {
        nodes: [
          gqlPull(21, "architect/11-api", {
            createdAt: "2026-01-02T00:00:00Z",
            reviews: { nodes: [{ databaseId: 901, author: { __typename: "User", login: "bob" }, authorCanPushToRepository: true, state: "APPROVED", commit: { oid: "h".repeat(40) }, submittedAt: "2026-01-02T01:00:00Z" }] },
            commits: { nodes: [{ commit: { oid: "h".repeat(40), statusCheckRollup: checkRollup } }] },
          }),
          gqlPull(20, "architect/11-api", { state: "CLOSED", createdAt: "2026-01-01T00:00:00Z" }),
        ],
      },
    },
    { name: "99-other-milestone", target: { oid: "c".repeat(40) }, associatedPullRequests: { nodes: [] } },
  ];
  const runs = {
    total_count: 3,
    workflow_runs: [
      { id: 302, display_title: "architect 10/11/2/retry", status: "in_progress", conclusion: null, created_at: "2026-01-03T00:00:00Z", updated_at: "2026-01-03T00:00:00Z", html_url: "u2" },
      { id: 301, display_title: "architect 10/11/1/initial", status: "completed", conclusion: "failure", created_at: "2026-01-02T00:00:00Z", updated_at: "2026-01-02T00:10:00Z", html_url: "u1" },
      { id: 400, display_title: "architect 99/50/1/initial", status: "queued", conclusion: null, created_at: "2026-01-02T00:00:00Z", updated_at: "2026-01-02T00:00:00Z", html_url: "u3" },
      { id: 401, display_title: "Deploy to prod", status: "queued", conclusion: null, created_at: "2026-01-02T00:00:00Z", updated_at: "2026-01-02T00:00:00Z", html_url: "u4" },
    ],
  };

  it("maps tasks, records, branch ↔ PR, checks and runs from four requests", async () => {
    const { gateway } = setup();
    const bodies = graphqlReplies(snapshotData({ subIssues, comments, refs, runningCount: 3 }));
    nock(API).get("/repos/o/r/branches/main/protection").reply(200, PROTECTION);
    nock(API).get("/repos/o/r/rules/branches/main").query(true).reply(200, []);
    // Runs created since a minute before the plan comment, one page of 100 at a time.
    nock(API).get("/repos/o/r/actions/runs").query({ event: "workflow_dispatch", created: ">=2025-12-31T23:59:00Z", per_page: "100", page: "1" }).reply(200, runs);

    const snapshot = await gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" });
    expect(nock.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.variables).toMatchObject({ owner: "o", name: "r", number: MILESTONE });

    expect(snapshot).not.toBeNull();
    const s = snapshot!;
    // Plan order (ui before api), hand-made and foreign sub-issues left out.
    expect(s.tasks.map((t) => [t.issue.number, t.marker.key])).toEqual([[12, "ui"], [11, "api"]]);
    expect(s.tasks[0]!.blockedBy).toEqual([11]);
    expect(s.control?.id).toBe(2);
    expect(s.control?.value.plan.tasks.map((t) => t.key)).toEqual(["ui", "api"]);
    expect(s.status?.value).toEqual({ dispatches: { "11": { seq: 1, at: 5 } } });
    expect(s.repo).toMatchObject({ nodeId: "R_1", defaultBranch: "main", defaultBranchSha: "m".repeat(40) });
    expect(s.repo.protection).toEqual({ enabled: true, requiredChecks: ["ci", "architect/dag"], requiredApprovals: 1, strict: false, mergeQueue: false, sources: ["classic"], dagCheckApp: { classic: 1 } });
    expect(s.repoLabels).toEqual({ "architect:running": "LA_1", "architect:ready": "LA_2" });
    // 3 running in the repo, one of them is ours.
    expect(s.runningElsewhere).toBe(2);

    const api = s.tasks[1]!;
    expect(api.issue).toMatchObject({ id: 5011, nodeId: "I_11", state: "open", labels: ["architect:running"] });
    expect(api.branch).toEqual({ name: "architect/11-api", sha: "b".repeat(40) });
    expect(api.pull).toMatchObject({ number: 21, state: "open", author: "architect[bot]", headSha: "h".repeat(40), autoMergeEnabled: false });
    expect(api.pull!.checks).toEqual([
      { nodeId: "CR_1", name: "ci", title: "2 tests failed", status: "completed", conclusion: "failure", isRequired: true, appSlug: "github-actions", summary: "2 tests failed\nsee log" },
      { nodeId: "CR_2", name: "lint", title: "", status: "in_progress", conclusion: null, isRequired: false, appSlug: "github-actions", summary: "" },
      { nodeId: null, name: "legacy", title: "ok", status: "completed", conclusion: "success", isRequired: false, appSlug: null, summary: "ok" },
    ]);
    expect(api.pull!.reviews).toEqual([
      { id: 901, author: "bob", authorIsBot: false, authorCanWrite: true, state: "APPROVED", commitSha: "h".repeat(40), submittedAt: Date.parse("2026-01-02T01:00:00Z") },
    ]);
    expect(api.runs.map((r) => [r.id, r.key.seq, r.key.mode, r.status, r.conclusion])).toEqual([
      [301, 1, "initial", "completed", "failure"],
      [302, 2, "retry", "in_progress", null],
    ]);
    expect(s.tasks[0]!.branch).toBeNull();
  });

  it("reads protection once per TTL and skips the runs list when nothing is claimed", async () => {
    const { clock, gateway } = setup();
    // Nothing claimed, and no open task that may have run before (only blocked or unlabelled ones).
    const waiting = subIssues.map((s) => ({ ...s, labels: { nodes: s.number === 11 ? [{ name: "architect:blocked" }] : [] } }));
    graphqlReplies(snapshotData({ subIssues: waiting }), snapshotData({ subIssues: waiting }), snapshotData({ subIssues: waiting }));
    const protection = nock(API).get("/repos/o/r/branches/main/protection").times(2).reply(200, PROTECTION);
    nock(API).get("/repos/o/r/rules/branches/main").times(2).query(true).reply(200, []);
    await gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" });
    await gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" });
    expect(protection.pendingMocks()).toHaveLength(1);
    clock.advance(10 * 60_000);
    await gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" });
    expect(nock.isDone()).toBe(true);
  });

  it("shares a protection cache across gateway instances when given one", async () => {
    const clock = new ManualClock();
    const octokit = new ProbotOctokit({ auth: { token: "ghs_test" }, throttle: { enabled: false }, retry: { enabled: false } });
    const protectionCache = new Map();
    const make = () => createOctokitGateway({ octokit, owner: "o", repo: "r", clock, protectionCache });
    const protection = nock(API).get("/repos/o/r/branches/main/protection").times(2).reply(200, PROTECTION);
    nock(API).get("/repos/o/r/rules/branches/main").times(2).query(true).reply(200, []);
    await make().getBranchProtection("main");
    await make().getBranchProtection("main");
    expect(protection.pendingMocks()).toHaveLength(1);
  });

  it("does not read runs for a claim whose PR is merged", async () => {
    const { gateway } = setup();
    const merged = [{ name: "11-api", target: { oid: "b".repeat(40) }, associatedPullRequests: { nodes: [gqlPull(21, "architect/11-api", { state: "MERGED", merged: true })] } }];
    graphqlReplies(snapshotData({ subIssues, refs: merged }));
    nock(API).get("/repos/o/r/branches/main/protection").reply(404, { message: "Branch not protected" });
    nock(API).get("/repos/o/r/rules/branches/main").query(true).reply(200, []);
    const s = await gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" });
    // Without a control record, tasks come in issue-number order.
    expect(s!.tasks.map((t) => t.issue.number)).toEqual([11, 12]);
    expect(s!.tasks[0]!.pull?.state).toBe("merged");
    expect(s!.repo.protection).toEqual({ enabled: false, requiredChecks: [], requiredApprovals: 0, strict: false, mergeQueue: false, sources: [], dagCheckApp: {} });
    expect(nock.isDone()).toBe(true);
  });

  it("returns null for a pull request number", async () => {
    const { gateway } = setup();
    graphqlReplies(snapshotData({ milestoneTypename: "PullRequest" }));
    nock(API).get("/repos/o/r/branches/main/protection").reply(403, { message: "Resource not accessible by integration" });
    nock(API).get("/repos/o/r/rules/branches/main").query(true).reply(200, []);
    expect(await gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" })).toBeNull();
  });

  it("fails closed on a GraphQL error instead of returning a partial world", async () => {
    const { gateway } = setup();
    graphqlReplies({ data: null, errors: [{ message: "Something went wrong" }] });
    await expect(gateway.loadSnapshot(MILESTONE, { botLogin: BOT, includeRuns: "auto" })).rejects.toThrow(/Something went wrong/);
  });
});

describe("createSubIssues", () => {
  const issues = Array.from({ length: 12 }, (_, i) => ({ key: `t${i}`, title: `Task ${i}`, body: `body "${i}"\n`, labelIds: ["LA_1"] }));
  const answer = (offset: number, count: number) => ({
    data: Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}`, { issue: { id: `I_${100 + offset + i}`, databaseId: 9000 + offset + i, number: 100 + offset + i } }])),
  });

  it("creates twelve sub-issues in two requests, with inputs passed as variables", async () => {
    const { gateway } = setup();
    const bodies = graphqlReplies(answer(0, 10), answer(10, 2));
    const created = await gateway.createSubIssues({ nodeId: "I_10" }, "R_1", issues);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]!.query.match(/createIssue\(/g)).toHaveLength(10);
    expect(bodies[0]!.variables.c3).toEqual({ repositoryId: "R_1", title: "Task 3", body: 'body "3"\n', labelIds: ["LA_1"], parentIssueId: "I_10" });
    expect(created.map((c) => [c.key, c.number, c.id, c.nodeId]).slice(9, 12)).toEqual([
      ["t9", 109, 9009, "I_109"],
      ["t10", 110, 9010, "I_110"],
      ["t11", 111, 9011, "I_111"],
    ]);
  });

  it("never resends creates after an ambiguous failure", async () => {
    const { gateway } = setup({ policy: true });
    const first = nock(API).post("/graphql").reply(502, "bad gateway");
    const resend = nock(API).post("/graphql").reply(200, answer(0, 10));
    await expect(gateway.createSubIssues({ nodeId: "I_10" }, "R_1", issues)).rejects.toBeInstanceOf(AmbiguousWriteError);
    expect(first.isDone()).toBe(true);
    expect(resend.isDone()).toBe(false);
  });
});

describe("applyBatch", () => {
  it("sends all ops in one document and reports each op's own outcome", async () => {
    const { gateway } = setup();
    const ops: BatchOp[] = [
      { kind: "setLabels", issueNodeId: "I_11", addLabelIds: ["LA_1"], removeLabelIds: ["LA_2"] },
      { kind: "merge", pullNodeId: "PR_21", headSha: "h".repeat(40), method: "squash" },
      { kind: "closeIssue", issueNodeId: "I_12", reason: "not_planned" },
      { kind: "setLabels", issueNodeId: "I_13", addLabelIds: [], removeLabelIds: [] },
      { kind: "createCheckRun", headSha: "h".repeat(40), name: "architect/dag", status: "pending", title: "waiting", summary: "on #11" },
    ];
    const bodies = graphqlReplies(
      // createCheckRun needs the repository id; no snapshot was loaded by this gateway.
      { data: { repository: { id: "R_1" } } },
      {
        data: { op0_0: { clientMutationId: null }, op0_1: { clientMutationId: null }, op1_0: null, op2_0: { issue: { id: "I_12" } }, op4_0: { checkRun: { id: "CR_9" } } },
        errors: [{ message: "Head branch was modified. Review and try the merge again.", path: ["op1_0"] }],
      },
    );
    const results = await gateway.applyBatch(ops);
    expect(bodies).toHaveLength(2);
    expect(results).toEqual([
      { ok: true },
      { ok: false, message: "Head branch was modified. Review and try the merge again." },
      { ok: true },
      { ok: true },
      { ok: true },
    ]);
    const vars = bodies[1]!.variables;
    expect(vars.op1_0).toEqual({ pullRequestId: "PR_21", expectedHeadOid: "h".repeat(40), mergeMethod: "SQUASH" });
    expect(vars.op2_0).toEqual({ issueId: "I_12", stateReason: "NOT_PLANNED" });
    expect(vars.op4_0).toMatchObject({ repositoryId: "R_1", status: "IN_PROGRESS", output: { title: "waiting", summary: "on #11" } });
    expect(Object.keys(vars)).not.toContain("op3_0");
  });

  it("claims a branch with createRef (a full ref name on the repository); an existing branch fails that op alone", async () => {
    const { gateway } = setup();
    const ops: BatchOp[] = [
      { kind: "updateComment", commentNodeId: "IC_1", body: "status" },
      { kind: "createRef", branch: "architect/11-api", sha: "a".repeat(40) },
    ];
    const bodies = graphqlReplies(
      { data: { repository: { id: "R_1" } } },
      { data: { op0_0: { issueComment: { id: "IC_1" } }, op1_0: null }, errors: [{ type: "UNPROCESSABLE", message: 'A ref named "refs/heads/architect/11-api" already exists in the repository.', path: ["op1_0"] }] },
    );
    expect(await gateway.applyBatch(ops)).toEqual([{ ok: true }, { ok: false, message: 'A ref named "refs/heads/architect/11-api" already exists in the repository.' }]);
    expect(bodies[1]!.variables.op1_0).toEqual({ repositoryId: "R_1", name: "refs/heads/architect/11-api", oid: "a".repeat(40) });
    expect(bodies[1]!.query).toMatch(/op1_0: createRef\(input: \$op1_0\)/);
  });
});

describe("REST writes", () => {
  it.each([
    [200, { workflow_run_id: 777, run_url: "x", html_url: "y" }, 777],
    [204, undefined, null],
  ])("dispatchWorkflow answers %d → run %s", async (status, body, runId) => {
    const { gateway } = setup();
    let sent: Record<string, unknown> = {};
    nock(API).post("/repos/o/r/actions/workflows/agent.yml/dispatches").reply(status, async (request: Request) => {
      sent = (await request.json()) as Record<string, unknown>;
      return body as nock.Body;
    });
    expect(await gateway.dispatchWorkflow("agent.yml", "main", { task: "11" })).toEqual({ runId });
    expect(sent).toEqual({ ref: "main", inputs: { task: "11" }, return_run_details: true });
  });

  it.each([
    [201, { sha: "x" }, "merged"],
    [204, undefined, "up-to-date"],
    [409, { message: "Merge conflict" }, "conflict"],
  ])("mergeInto answers %d → %s", async (status, body, want) => {
    const { gateway } = setup();
    nock(API).post("/repos/o/r/merges", { base: "architect/12-ui", head: "architect/11-api" }).reply(status, body as nock.Body);
    expect(await gateway.mergeInto("architect/12-ui", "architect/11-api")).toBe(want);
  });

  it("createLabels sends one aliased mutation and tolerates labels that already exist", async () => {
    const { gateway } = setup();
    let document = "";
    nock(API)
      .post("/graphql", (body: { query: string }) => body.query.includes("ArchitectRepoId"))
      .reply(200, { data: { repository: { id: "R_1" } } })
      .post("/graphql", (body: { query: string }) => {
        document = body.query;
        return body.query.includes("createLabel");
      })
      .reply(200, { data: { l0: null, l1: { label: { id: "LA_b", name: "b" } } }, errors: [{ type: "UNPROCESSABLE", path: ["l0"], message: "Name has already been taken" }] });
    await gateway.createLabels([{ name: "a", color: "000000", description: "" }, { name: "b", color: "000000", description: "" }]);
    expect(nock.isDone()).toBe(true);
    expect(document.match(/createLabel\(/g)).toHaveLength(2);
  });

  it("createLabels fails on any other refusal", async () => {
    const { gateway } = setup();
    nock(API)
      .post("/graphql").reply(200, { data: { repository: { id: "R_1" } } })
      .post("/graphql").reply(200, { data: { l0: null }, errors: [{ type: "FORBIDDEN", path: ["l0"], message: "Resource not accessible by integration" }] });
    await expect(gateway.createLabels([{ name: "a", color: "000000", description: "" }])).rejects.toThrow(/Resource not accessible by integration/);
  });
});

describe("reads", () => {
  it.each([
    [200, { permission: "write", role_name: "maintain" }, "maintain"],
    [200, { permission: "read", role_name: "read" }, "read"],
    [404, { message: "Not Found" }, "none"],
  ])("getPermission %d %j → %s", async (status, body, want) => {
    const { gateway } = setup();
    nock(API).get("/repos/o/r/collaborators/bob/permission").reply(status, body);
    expect(await gateway.getPermission("bob")).toBe(want);
  });

  it("getPermission asks GitHub once per gateway for the same login, and again after a failure", async () => {
    const { gateway } = setup();
    nock(API)
      .get("/repos/o/r/collaborators/bob/permission").reply(500, { message: "boom" })
      .get("/repos/o/r/collaborators/bob/permission").reply(200, { permission: "write", role_name: "write" });
    await expect(gateway.getPermission("bob")).rejects.toBeDefined();
    expect(await gateway.getPermission("bob")).toBe("write");
    expect(await gateway.getPermission("bob")).toBe("write");
    expect(nock.isDone()).toBe(true);
  });

  it("getPermission fails closed on other errors", async () => {
    const { gateway } = setup();
    nock(API).get("/repos/o/r/collaborators/bob/permission").reply(401, { message: "Bad credentials" });
    await expect(gateway.getPermission("bob")).rejects.toMatchObject({ status: 401 });
  });

  it("readFile decodes base64 and maps 404 to null", async () => {
    const { gateway } = setup();
    nock(API)
      .get("/repos/o/r/contents/.github%2Farchitect.yml").reply(200, { type: "file", encoding: "base64", content: Buffer.from("version: 1\n").toString("base64") })
      .get("/repos/o/r/contents/missing.yml").reply(404, { message: "Not Found" });
    expect(await gateway.readFile(".github/architect.yml")).toBe("version: 1\n");
    expect(await gateway.readFile("missing.yml")).toBeNull();
  });

  it("getIssueWithComments returns comments oldest first with bot logins restored", async () => {
    const { gateway } = setup();
    graphqlReplies({
      data: {
        repository: {
          issueOrPullRequest: {
            __typename: "Issue",
            ...gqlIssue(5, "body"),
            comments: { nodes: [gqlComment(8, "later", { __typename: "Bot", login: "architect" }, "2026-01-02T00:00:00Z"), gqlComment(7, "first", { __typename: "User", login: "bob" })] },
          },
        },
      },
    });
    const result = await gateway.getIssueWithComments(5);
    expect(result?.issue.number).toBe(5);
    expect(result?.comments.map((c) => [c.id, c.author, c.authorIsBot])).toEqual([
      [7, "bob", false],
      [8, "architect[bot]", true],
    ]);
  });
});

describe("combineProtection", () => {
  const classic = { requiredChecks: ["ci"], requiredApprovals: 1, strict: false, dagCheckApp: undefined };

  it("adds ruleset rules to classic protection: checks, approvals, strict, the merge queue and the pinned App", () => {
    const rules = [
      { type: "required_status_checks", parameters: { required_status_checks: [{ context: "architect/dag", integration_id: 42 }], strict_required_status_checks_policy: true } },
      { type: "pull_request", parameters: { required_approving_review_count: 2 } },
      { type: "merge_queue", parameters: {} },
    ];
    expect(combineProtection(classic, rules)).toEqual({
      enabled: true,
      requiredChecks: ["ci", "architect/dag"],
      requiredApprovals: 2,
      strict: true,
      mergeQueue: true,
      sources: ["classic", "rulesets"],
      dagCheckApp: { rulesets: 42 },
    });
  });

  it("stands on rulesets alone when classic protection is absent or unreadable, and is unknown only when both say nothing", () => {
    const rules = [{ type: "required_status_checks", parameters: { required_status_checks: [{ context: "ci" }] } }];
    expect(combineProtection("none", rules)).toMatchObject({ enabled: true, requiredChecks: ["ci"], sources: ["rulesets"], mergeQueue: false });
    expect(combineProtection(null, rules)).toMatchObject({ enabled: true, sources: ["rulesets"] });
    expect(combineProtection(null, [])).toBeNull();
    expect(combineProtection("none", [])).toMatchObject({ enabled: false, sources: [] });
  });
});
