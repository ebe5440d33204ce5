import { describe, expect, it } from "vitest";
import { createGraphqlHandler } from "../../src/sandbox/emulator/graphql/handler.js";
import type { GraphqlAuth } from "../../src/sandbox/emulator/server.js";
import { World } from "../../src/sandbox/emulator/state.js";
import { setupRepo } from "../../src/sandbox/index.js";
import { ManualClock } from "./manual-clock.js";

/** A GraphQL answer; data is read by path in each test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = { data?: Record<string, any>; errors?: { message: string; path?: string[]; type?: string }[] };

/** The emulator's GraphQL handler driven directly over a world (no HTTP). */
function world(options: { unprotected?: boolean } = {}) {
  const w = new World({ clock: new ManualClock() });
  const { repo, maintainer } = setupRepo(w, { unprotected: options.unprotected });
  const other = w.createRepo({ owner: "acme", name: "secret" });
  const app = w.createApp({ slug: "architect", name: "Architect" });
  const installation = w.installApp(app, repo.owner, [repo]);
  const auth: GraphqlAuth = { grant: { kind: "installation", installation, expiresAt: Infinity }, actor: app.botUser, app };
  const handler = createGraphqlHandler(w);
  const run = async (query: string, variables?: Record<string, unknown>) => (await handler({ query, variables }, auth)).json as Answer;
  return { w, repo, other, maintainer, app, run };
}

const REPO = `repository(owner: "acme", name: "webshop")`;

describe("emulator GraphQL: reads", () => {
  it("validates against GitHub's schema and names unimplemented fields", async () => {
    const { run } = world();
    const unknown = await run(`{ ${REPO} { noSuchField } }`);
    expect(unknown.errors?.[0]?.message).toMatch(/Cannot query field "noSuchField" on type "Repository"/);
    const unimplemented = await run(`{ ${REPO} { stargazerCount } }`);
    expect(unimplemented.errors?.[0]).toMatchObject({ message: "The sandbox does not implement Repository.stargazerCount", path: ["repository", "stargazerCount"] });
  });

  it.each([
    ["labels { nodes { name } }", /must provide a `first` or `last`/],
    ["labels(first: 101) { nodes { name } }", /exceeds the `first` limit of 100/],
  ])("enforces GitHub's pagination rules: %s", async (selection, message) => {
    const { run } = world();
    const result = await run(`{ ${REPO} { ${selection} } }`);
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it("lets totalCount through without first/last, as GitHub does", async () => {
    const { w, repo, run } = world();
    w.createLabel(repo, { name: "x" });
    const result = await run(`{ ${REPO} { labels { totalCount } } }`);
    expect(result.data?.repository.labels.totalCount).toBe(repo.labels.size);
  });

  it("hides repositories outside the installation", async () => {
    const { run } = world();
    const result = await run(`{ repository(owner: "acme", name: "secret") { id } }`);
    expect(result.errors?.[0]).toMatchObject({ type: "NOT_FOUND" });
  });

  it("resolves issueOrPullRequest, bot logins without [bot], sub-issues, parents and blocked-by", async () => {
    const { w, repo, maintainer, app, run } = world();
    const parent = w.createIssue(repo, { title: "milestone", user: maintainer });
    const a = w.createIssue(repo, { title: "a", user: app.botUser });
    const b = w.createIssue(repo, { title: "b", user: app.botUser });
    w.addSubIssue(repo, parent, a, {}, maintainer);
    w.addSubIssue(repo, parent, b, {}, maintainer);
    w.addBlockedBy(repo, b, a, maintainer);
    const result = await run(
      `query($n: Int!) { ${REPO} { issueOrPullRequest(number: $n) { __typename ... on Issue {
          subIssues(first: 10) { totalCount nodes { number author { __typename login } parent { number } blockedBy(first: 5) { nodes { number } } blocking(first: 5) { nodes { number } } } }
      } } } }`,
      { n: parent.number },
    );
    expect(result.errors).toBeUndefined();
    const node = result.data?.repository.issueOrPullRequest;
    expect(node.__typename).toBe("Issue");
    expect(node.subIssues.nodes).toEqual([
      { number: a.number, author: { __typename: "Bot", login: "architect" }, parent: { number: parent.number }, blockedBy: { nodes: [] }, blocking: { nodes: [{ number: b.number }] } },
      { number: b.number, author: { __typename: "Bot", login: "architect" }, parent: { number: parent.number }, blockedBy: { nodes: [{ number: a.number }] }, blocking: { nodes: [] } },
    ]);
  });

  it("counts search results by repo, state and label", async () => {
    const { w, repo, maintainer, run } = world();
    const running = w.createLabel(repo, { name: "architect:running" });
    const open = w.createIssue(repo, { title: "a", user: maintainer, labels: [running.name] });
    const closed = w.createIssue(repo, { title: "b", user: maintainer, labels: [running.name] });
    w.closeIssue(repo, closed, "completed", maintainer);
    w.createIssue(repo, { title: "c", user: maintainer });
    const result = await run(`query($q: String!) { search(type: ISSUE, query: $q) { issueCount } }`, {
      q: `repo:acme/webshop is:issue is:open label:"architect:running"`,
    });
    expect(result.data?.search.issueCount).toBe(1);
    expect(open.state).toBe("open");
  });

  it("lists a commit tree with one level of subdirectories and reads blobs", async () => {
    const { run } = world();
    const result = await run(`{ ${REPO} {
      tree: object(expression: "HEAD:") { ... on Tree { entries { name type object { ... on Tree { entries { name type } } } } } }
      readme: object(expression: "HEAD:README.md") { ... on Blob { text } }
      missing: object(expression: "HEAD:nope.md") { ... on Blob { text } }
    } }`);
    expect(result.errors).toBeUndefined();
    const entries = result.data?.repository.tree.entries as { name: string; type: string; object: { entries?: { name: string }[] } }[];
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      [".github", "tree"],
      ["README.md", "blob"],
    ]);
    expect(entries[0]!.object.entries?.map((e) => e.name)).toEqual(["workflows"]);
    expect(result.data?.repository.readme.text).toMatch(/^# webshop/);
    expect(result.data?.repository.missing).toBeNull();
  });
});

describe("emulator GraphQL: mutations", () => {
  it("creates an issue under a parent with labels, and rejects unknown label ids per alias", async () => {
    const { w, repo, maintainer, run } = world();
    const parent = w.createIssue(repo, { title: "milestone", user: maintainer });
    const label = w.createLabel(repo, { name: "architect:task" });
    const result = await run(
      `mutation($ok: CreateIssueInput!, $bad: CreateIssueInput!) {
        ok: createIssue(input: $ok) { issue { number parent { number } labels(first: 5) { nodes { name } } } }
        bad: createIssue(input: $bad) { issue { number } }
      }`,
      {
        ok: { repositoryId: repo.nodeId, title: "task", body: "b", labelIds: [label.nodeId], parentIssueId: parent.nodeId },
        bad: { repositoryId: repo.nodeId, title: "task 2", labelIds: ["LA_nope"], parentIssueId: parent.nodeId },
      },
    );
    expect(result.data?.ok.issue).toMatchObject({ parent: { number: parent.number }, labels: { nodes: [{ name: "architect:task" }] } });
    expect(result.data?.bad).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ path: ["bad"], type: "NOT_FOUND" })]);
    // The failed alias created nothing.
    expect(parent.subIssues.map((i) => i.title)).toEqual(["task"]);
  });

  it("merges only at the expected head, and refuses auto-merge on a clean PR", async () => {
    const { w, repo, maintainer, run } = world({ unprotected: true });
    w.createRef(repo, "refs/heads/feature", repo.branches.get("main")!, maintainer);
    const head = w.pushCommit(repo, "feature", { "f.txt": "f\n" }, "f", maintainer);
    const pull = w.openPull(repo, { title: "f", head: "feature", base: "main", user: maintainer });
    const merge = (oid: string) =>
      run(`mutation($i: MergePullRequestInput!) { mergePullRequest(input: $i) { pullRequest { merged state } } }`, {
        i: { pullRequestId: pull.nodeId, expectedHeadOid: oid, mergeMethod: "SQUASH" },
      });
    const stale = await merge("0".repeat(40));
    expect(stale.errors?.[0]?.message).toMatch(/Head branch was modified/);
    expect(pull.merged).toBe(false);

    const autoMerge = await run(`mutation($i: EnablePullRequestAutoMergeInput!) { enablePullRequestAutoMerge(input: $i) { pullRequest { id } } }`, {
      i: { pullRequestId: pull.nodeId, expectedHeadOid: head.sha, mergeMethod: "SQUASH" },
    });
    expect(autoMerge.errors?.[0]?.message).toMatch(/Protected branch rules not configured|clean status/);

    const ok = await merge(head.sha);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.mergePullRequest.pullRequest).toEqual({ merged: true, state: "MERGED" });
  });

  it("adds and removes labels, closes as not planned, creates and completes a check run", async () => {
    const { w, repo, maintainer, app, run } = world();
    const issue = w.createIssue(repo, { title: "t", user: maintainer, labels: ["architect:blocked"] });
    const ready = w.createLabel(repo, { name: "architect:ready" });
    const blocked = repo.labels.get("architect:blocked")!;
    const sha = repo.branches.get("main")!;
    const result = await run(
      `mutation($add: AddLabelsToLabelableInput!, $remove: RemoveLabelsFromLabelableInput!, $close: CloseIssueInput!, $check: CreateCheckRunInput!) {
        add: addLabelsToLabelable(input: $add) { clientMutationId }
        remove: removeLabelsFromLabelable(input: $remove) { clientMutationId }
        close: closeIssue(input: $close) { issue { state stateReason } }
        check: createCheckRun(input: $check) { checkRun { id status checkSuite { app { slug } } } }
      }`,
      {
        add: { labelableId: issue.nodeId, labelIds: [ready.nodeId] },
        remove: { labelableId: issue.nodeId, labelIds: [blocked.nodeId] },
        close: { issueId: issue.nodeId, stateReason: "NOT_PLANNED" },
        check: { repositoryId: repo.nodeId, headSha: sha, name: "architect/dag", status: "IN_PROGRESS", output: { title: "waiting", summary: "s" } },
      },
    );
    expect(result.errors).toBeUndefined();
    expect(issue.labels.map((l) => l.name)).toEqual(["architect:ready"]);
    expect(result.data?.close.issue).toEqual({ state: "CLOSED", stateReason: "NOT_PLANNED" });
    expect(result.data?.check.checkRun).toMatchObject({ status: "IN_PROGRESS", checkSuite: { app: { slug: app.slug } } });
    const update = await run(`mutation($i: UpdateCheckRunInput!) { updateCheckRun(input: $i) { checkRun { status conclusion } } }`, {
      i: { repositoryId: repo.nodeId, checkRunId: result.data?.check.checkRun.id, status: "COMPLETED", conclusion: "SUCCESS" },
    });
    expect(update.data?.updateCheckRun.checkRun).toEqual({ status: "COMPLETED", conclusion: "SUCCESS" });
  });

  it("links blocked-by and reports a duplicate link as an error on that alias only", async () => {
    const { w, repo, maintainer, run } = world();
    const a = w.createIssue(repo, { title: "a", user: maintainer });
    const b = w.createIssue(repo, { title: "b", user: maintainer });
    const c = w.createIssue(repo, { title: "c", user: maintainer });
    w.addBlockedBy(repo, b, a, maintainer);
    const result = await run(
      `mutation($dup: AddBlockedByInput!, $new: AddBlockedByInput!) {
        dup: addBlockedBy(input: $dup) { issue { number } }
        fresh: addBlockedBy(input: $new) { issue { number } blockingIssue { number } }
      }`,
      { dup: { issueId: b.nodeId, blockingIssueId: a.nodeId }, new: { issueId: c.nodeId, blockingIssueId: b.nodeId } },
    );
    expect(result.errors).toEqual([expect.objectContaining({ path: ["dup"], message: expect.stringMatching(/already exists/) })]);
    expect(result.data?.fresh).toEqual({ issue: { number: c.number }, blockingIssue: { number: b.number } });
  });
});
