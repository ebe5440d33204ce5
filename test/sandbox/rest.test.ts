import { Octokit } from "@octokit/core";
import { createAppAuth } from "@octokit/auth-app";
import { describe, expect, it } from "vitest";
import { statusOf, useSandboxWithClients } from "./helpers.js";

const setup = useSandboxWithClients();

describe("sandbox REST over HTTP", () => {
  it("authenticates the App with a JWT and an installation token (Octokit auth-app)", async () => {
    const { sandbox, o } = await setup();
    const reg = sandbox.registerApp();
    const octokit = new Octokit({
      authStrategy: createAppAuth,
      auth: { appId: reg.appId, privateKey: reg.privateKeyPem, installationId: reg.installationId },
      baseUrl: reg.baseUrl,
    });
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", o);
    expect(data).toEqual([]);
    const appOnly = new Octokit({ authStrategy: createAppAuth, auth: { appId: reg.appId, privateKey: reg.privateKeyPem }, baseUrl: reg.baseUrl });
    expect((await appOnly.request("GET /app")).data?.slug).toBe("architect");
    expect((await appOnly.request("GET /repos/{owner}/{repo}/installation", o)).data.id).toBe(reg.installationId);
  });

  it.each([
    ["no token", undefined],
    ["unknown token", "ghs_nope"],
  ])("answers 401 with %s", async (_name, auth) => {
    const { sandbox, o } = await setup();
    const octokit = new Octokit({ auth, baseUrl: sandbox.url });
    expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/issues", o))).toBe(401);
  });

  it("rejects a JWT signed with another key", async () => {
    const { sandbox } = await setup();
    const other = sandbox.state.createApp({ slug: "other" });
    const forged = new Octokit({
      authStrategy: createAppAuth,
      auth: { appId: sandbox.app.id, privateKey: other.privateKeyPem },
      baseUrl: sandbox.url,
    });
    expect(await statusOf(forged.request("GET /app"))).toBe(401);
  });

  it("hides repositories outside the installation behind 404", async () => {
    const { world, app } = await setup();
    world.createRepo({ owner: "someone", name: "private" });
    expect(await statusOf(app.request("GET /repos/{owner}/{repo}/issues", { owner: "someone", repo: "private" }))).toBe(404);
  });

  it("POST /git/refs answers 422 Reference already exists the second time", async () => {
    const { app, o, repo } = await setup();
    const sha = repo.branches.get("main")!;
    const first = await app.request("POST /repos/{owner}/{repo}/git/refs", { ...o, ref: "refs/heads/architect/1-x", sha });
    expect(first.status).toBe(201);
    const error = await app.request("POST /repos/{owner}/{repo}/git/refs", { ...o, ref: "refs/heads/architect/1-x", sha }).catch((e) => e);
    expect([error.status, error.response.data.message]).toEqual([422, "Reference already exists"]);
    const got = await app.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...o, ref: "heads/architect/1-x" });
    expect(got.data.object.sha).toBe(sha);
    await app.request("DELETE /repos/{owner}/{repo}/git/refs/{ref}", { ...o, ref: "heads/architect/1-x" });
    expect(await statusOf(app.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...o, ref: "heads/architect/1-x" }))).toBe(404);
  });

  it("sub-issues take the database id, not the number", async () => {
    const { app, o } = await setup();
    const parent = (await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "milestone" })).data;
    const child = (await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "task" })).data;
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", { ...o, issue_number: parent.number, sub_issue_id: child.number }))).toBe(404);
    const added = await app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", { ...o, issue_number: parent.number, sub_issue_id: Number(child.id) });
    expect(added.status).toBe(201);
    const list = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", { ...o, issue_number: parent.number });
    expect(list.data.map((i: { number: number }) => i.number)).toEqual([child.number]);
    const up = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}/parent", { ...o, issue_number: child.number });
    expect(up.data.number).toBe(parent.number);
    const refreshed = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...o, issue_number: parent.number });
    expect(refreshed.data.sub_issues_summary).toEqual({ total: 1, completed: 0, percent_completed: 0 });
  });

  it("blocked-by links take the blocker's id and show in the dependency summary", async () => {
    const { app, o } = await setup();
    const a = (await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "a" })).data;
    const b = (await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "b" })).data;
    const res = await app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", { ...o, issue_number: b.number, issue_id: Number(a.id) });
    expect(res.status).toBe(201);
    const list = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", { ...o, issue_number: b.number });
    expect(list.data.map((i) => Number(i.id))).toEqual([Number(a.id)]);
    const got = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...o, issue_number: b.number });
    expect(got.data.issue_dependencies_summary).toMatchObject({ blocked_by: 1, total_blocked_by: 1 });
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", { ...o, issue_number: b.number, issue_id: Number(a.id) }))).toBe(422);
  });

  it("PATCH closes with state_reason; labels add and remove by name", async () => {
    const { app, o } = await setup();
    const issue = (await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "x", labels: ["architect:task"] })).data;
    await app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...o, issue_number: issue.number, labels: ["architect:ready"] });
    const removed = await app.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", { ...o, issue_number: issue.number, name: "architect:task" });
    expect(removed.data.map((l: { name: string }) => l.name)).toEqual(["architect:ready"]);
    expect(await statusOf(app.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", { ...o, issue_number: issue.number, name: "architect:task" }))).toBe(404);
    const closed = await app.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...o, issue_number: issue.number, state: "closed", state_reason: "not_planned" });
    expect([closed.data.state, closed.data.state_reason]).toEqual(["closed", "not_planned"]);
  });

  it("lists comments page by page with a Link header", async () => {
    const { app, o } = await setup();
    const issue = (await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "x" })).data;
    for (let i = 0; i < 5; i++) await app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...o, issue_number: issue.number, body: `c${i}` });
    const first = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...o, issue_number: issue.number, per_page: 2 });
    expect(first.data.map((c) => c.body)).toEqual(["c0", "c1"]);
    expect(first.headers.link).toContain('rel="next"');
    const last = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...o, issue_number: issue.number, per_page: 2, page: 3 });
    expect(last.data.map((c) => c.body)).toEqual(["c4"]);
    const edited = await app.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...o, comment_id: Number(last.data[0]!.id), body: "edited" });
    expect(edited.data.body).toBe("edited");
  });

  it("serves contents with a URL-encoded path, and 404 when missing", async () => {
    const { app, o, world, repo } = await setup();
    world.pushCommit(repo, "main", { ".github/architect.yml": "version: 1\n" }, "config", world.ensureUser("maintainer"));
    const res = await app.request({ method: "GET", url: `/repos/${o.owner}/${o.repo}/contents/.github%2Farchitect.yml` });
    expect(Buffer.from(res.data.content, "base64").toString()).toBe("version: 1\n");
    expect(await statusOf(app.request("GET /repos/{owner}/{repo}/contents/{path}", { ...o, path: ".github/nope.yml" }))).toBe(404);
  });

  it("collaborator permission: role for collaborators, none for strangers, 404 for unknown users", async () => {
    const { app, o, world } = await setup();
    world.ensureUser("stranger");
    const maint = await app.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...o, username: "maintainer" });
    expect([maint.data.permission, maint.data.role_name]).toEqual(["admin", "admin"]);
    const stranger = await app.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...o, username: "stranger" });
    expect(stranger.data.permission).toBe("none");
    expect(await statusOf(app.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...o, username: "ghost" }))).toBe(404);
  });

  it("branch protection blocks merges until required checks pass and a writer approves", async () => {
    const { app, o, world, repo, as, sandbox } = await setup();
    const agent = world.ensureUser("agent-dev");
    world.setCollaborator(repo, "agent-dev", "write");
    world.pushCommit(repo, "architect/1-a", { "a.md": "a" }, "a", agent);
    const pr = await as("agent-dev").request("POST /repos/{owner}/{repo}/pulls", { ...o, title: "A", head: "architect/1-a", base: "main", body: "x" });
    const merge = (sha: string) => app.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", { ...o, pull_number: pr.data.number, sha });
    const branch = await app.request("GET /repos/{owner}/{repo}/branches/{branch}", { ...o, branch: "main" });
    expect([branch.data.protected, branch.data.protection.required_status_checks?.contexts]).toEqual([true, ["ci/test", "architect/dag"]]);
    const head = pr.data.head.sha as string;
    expect(await statusOf(merge(head))).toBe(405);
    const ci = world.createApp({ slug: "ci" });
    world.createCheckRun(repo, ci, { name: "ci/test", headSha: head, conclusion: "success" });
    // Architect's own check, through the API, still pending: the out-of-order guard.
    const dag = await app.request("POST /repos/{owner}/{repo}/check-runs", { ...o, name: "architect/dag", head_sha: head, status: "in_progress" });
    world.setCollaborator(repo, "rev", "write");
    await as("rev").request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...o, pull_number: pr.data.number, event: "APPROVE", commit_id: head });
    const blocked = await merge(head).catch((e) => e);
    expect([blocked.status, blocked.response.data.message]).toEqual([405, expect.stringContaining('Required status check "architect/dag" is expected.')]);
    await app.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...o, check_run_id: dag.data.id, conclusion: "success" });
    expect(await statusOf(merge("f".repeat(40)))).toBe(409);
    const merged = await merge(head);
    expect(merged.data.merged).toBe(true);
    expect(sandbox.state.readFile(repo, "a.md")).toBe("a");
  });

  it("dispatch with return_run_details answers 200 with the run; display_title comes from run-name", async () => {
    const { app, o, clock } = await setup();
    const inputs = { task: "3", milestone: "1", branch: "architect/3-x", base: "main", run_key: "architect 1/3/1/initial", agent: "claude", attempt: "1", mode: "initial" };
    const res = await app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      ...o,
      workflow_id: "architect-agent.yml",
      ref: "main",
      inputs,
      return_run_details: true,
    } as never);
    expect(res.status).toBe(200);
    const runId = (res.data as { workflow_run_id: number }).workflow_run_id;
    const run = await app.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", { ...o, run_id: runId });
    expect([run.data.display_title, run.data.event, run.data.status]).toEqual(["architect 1/3/1/initial", "workflow_dispatch", "queued"]);
    const plain = await app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...o, workflow_id: "architect-agent.yml", ref: "main", inputs });
    expect(plain.status).toBe(204);
    clock.advance(60_000);
    const since = new Date(clock.now() - 30_000).toISOString();
    const list = await app.request("GET /repos/{owner}/{repo}/actions/runs", { ...o, event: "workflow_dispatch", created: `>=${since}` });
    expect(list.data.total_count).toBe(0);
    const all = await app.request("GET /repos/{owner}/{repo}/actions/runs", { ...o, event: "workflow_dispatch" });
    expect(all.data.total_count).toBe(2);
    expect((await app.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel", { ...o, run_id: runId })).status).toBe(202);
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel", { ...o, run_id: runId }))).toBe(409);
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...o, workflow_id: "missing.yml", ref: "main" }))).toBe(404);
  });

  it("counts requests by route template and GraphQL separately", async () => {
    const { app, o, sandbox } = await setup();
    await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "x" });
    await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...o, issue_number: 1 });
    await app.request("POST /graphql", { query: "mutation { addComment(input: {subjectId: \"x\", body: \"y\"}) { clientMutationId } }" }).catch(() => null);
    await app.request("POST /graphql", { query: "query { viewer { login } }" }).catch(() => null);
    const counts = sandbox.emulator.requestLog.countsByEndpoint();
    expect(counts).toMatchObject({
      "POST /repos/{owner}/{repo}/issues": 1,
      "GET /repos/{owner}/{repo}/issues/{issue_number}": 1,
      "POST /graphql (mutation)": 1,
      "POST /graphql (query)": 1,
    });
    expect(sandbox.emulator.requestLog.contentCreationCount()).toBe(2);
  });

  it("every response carries rate-limit headers and a request id", async () => {
    const { app, o } = await setup();
    const res = await app.request("GET /repos/{owner}/{repo}", o);
    expect(Number(res.headers["x-ratelimit-remaining"])).toBe(4999);
    expect(res.headers["x-github-request-id"]).toMatch(/^[0-9A-F]+$/);
  });
});
