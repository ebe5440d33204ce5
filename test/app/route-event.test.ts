import { describe, expect, it } from "vitest";
import { encodeMarker } from "../../src/core/markers/markers.js";
import { routeEvent, taskFromBranch } from "../../src/app/route-event.js";

const ctx = { botLogin: "architect[bot]", appSlug: "architect" };
const taskBody = `Do it\n\n${encodeMarker("task", { milestone: 7, planId: "p1", key: "api", dependsOn: [], agent: "claude", scope: [], estimate: 1 })}`;
const comment = (body: string, extra: Record<string, unknown> = {}) => ({
  action: "created",
  issue: { number: 7, body: "" },
  comment: { id: 11, body, user: { login: "maria", type: "User" }, created_at: "2026-01-01T00:00:00Z" },
  ...extra,
});

describe("routeEvent", () => {
  it.each([
    ["a command comment", "issue_comment", comment("/architect plan"), { kind: "command", issue: 7, commentId: 11, author: "maria" }],
    ["a comment without a command", "issue_comment", comment("looks good"), { kind: "ignore" }],
    ["our own comment", "issue_comment", { ...comment("/architect status"), comment: { id: 1, body: "/architect status", user: { login: "architect[bot]" }, created_at: "x" } }, { kind: "ignore" }],
    ["an edited comment", "issue_comment", { ...comment("/architect plan"), action: "edited" }, { kind: "ignore" }],
    ["a task closed", "issues", { action: "closed", issue: { number: 9, body: taskBody } }, { kind: "milestone", issue: 7 }],
    ["an agent label on a plain issue", "issues", { action: "labeled", issue: { number: 3, body: "fix it" }, label: { name: "agent:claude" } }, { kind: "milestone", issue: 3 }],
    ["our own state label", "issues", { action: "labeled", issue: { number: 9, body: taskBody }, label: { name: "architect:ready" }, sender: { login: "architect[bot]" } }, { kind: "ignore" }],
    ["a sub-issue link by a person", "sub_issues", { action: "sub_issue_added", parent_issue: { number: 5 }, sender: { login: "maria" } }, { kind: "milestone", issue: 5 }],
    ["a task PR", "pull_request", { action: "opened", pull_request: { head: { ref: "architect/12-add-api" }, body: "" } }, { kind: "task", task: 12 }],
    ["another PR", "pull_request", { action: "opened", pull_request: { head: { ref: "feature/x" }, body: "" } }, { kind: "ignore" }],
    ["a review on a task PR", "pull_request_review", { action: "submitted", pull_request: { head: { ref: "architect/4-x" }, body: "" } }, { kind: "task", task: 4 }],
    ["CI finished on a task branch", "check_run", { action: "completed", check_run: { app: { slug: "ci" }, check_suite: { head_branch: "architect/8-db" } } }, { kind: "task", task: 8 }],
    ["CI started on a task branch", "check_run", { action: "created", check_run: { app: { slug: "ci" }, check_suite: { head_branch: "architect/8-db" } } }, { kind: "ignore" }],
    ["our own dag check", "check_run", { action: "completed", check_run: { app: { slug: "architect" }, check_suite: { head_branch: "architect/8-db" } } }, { kind: "ignore" }],
    ["a check suite (not subscribed: its runs report on their own)", "check_suite", { action: "completed", check_suite: { head_branch: "architect/8-db" } }, { kind: "ignore" }],
    ["an Architect run that finished", "workflow_run", { action: "completed", workflow_run: { display_title: "architect 7/12/1/initial" } }, { kind: "milestone", issue: 7 }],
    ["an Architect run that started", "workflow_run", { action: "in_progress", workflow_run: { display_title: "architect 7/12/1/initial" } }, { kind: "ignore" }],
    ["our own merge", "pull_request", { action: "closed", sender: { login: "architect[bot]" }, pull_request: { head: { ref: "architect/12-add-api" }, body: "" } }, { kind: "ignore" }],
    ["a task closed by our merge", "issues", { action: "closed", sender: { login: "architect[bot]" }, issue: { number: 9, body: taskBody } }, { kind: "ignore" }],
    ["a PR edited", "pull_request", { action: "edited", pull_request: { head: { ref: "architect/12-add-api" }, body: "" } }, { kind: "ignore" }],
    ["some other run", "workflow_run", { workflow_run: { display_title: "CI" } }, { kind: "ignore" }],
    ["a config push", "push", { ref: "refs/heads/main", repository: { default_branch: "main" }, commits: [{ modified: [".github/architect.yml"] }] }, { kind: "config-changed" }],
    ["an unrelated push", "push", { ref: "refs/heads/main", repository: { default_branch: "main" }, commits: [{ modified: ["README.md"] }] }, { kind: "ignore" }],
    ["an unknown event", "star", { action: "created" }, { kind: "ignore" }],
  ])("%s", (_name, event, payload, expected) => {
    expect(routeEvent(event, payload, ctx)).toMatchObject(expected);
  });

  // When GitHub says it happened: the app skips a look a finished reconcile already made.
  it.each([
    ["a CI check's completion", "check_run", { action: "completed", check_run: { app: { slug: "ci" }, completed_at: "2026-03-01T10:00:05Z", check_suite: { head_branch: "architect/8-db" } } }, Date.parse("2026-03-01T10:00:05Z")],
    ["a review's submission", "pull_request_review", { action: "submitted", review: { submitted_at: "2026-03-01T10:01:00Z" }, pull_request: { head: { ref: "architect/4-x" }, body: "", updated_at: "2026-03-01T09:00:00Z" } }, Date.parse("2026-03-01T10:01:00Z")],
    ["a PR's update", "pull_request", { action: "opened", pull_request: { head: { ref: "architect/4-x" }, body: "", updated_at: "2026-03-01T10:02:00Z" } }, Date.parse("2026-03-01T10:02:00Z")],
    ["no time given", "check_run", { action: "completed", check_run: { app: { slug: "ci" }, check_suite: { head_branch: "architect/8-db" } } }, undefined],
    ["an unreadable time", "pull_request", { action: "opened", pull_request: { head: { ref: "architect/4-x" }, body: "", updated_at: "soon" } }, undefined],
  ])("reads when %s happened", (_name, event, payload, happenedAt) => {
    const route = routeEvent(event, payload, ctx);
    expect(route.kind).toBe("task");
    expect(route.kind === "task" ? route.happenedAt : "not a task").toBe(happenedAt);
  });

  it.each([null, 42, "x", [], {}, { issue: "nope" }, { action: "created", issue: { number: -1 } }])("ignores the malformed payload %j without throwing", (payload) => {
    for (const event of ["issue_comment", "issues", "sub_issues", "pull_request", "check_run", "check_suite", "workflow_run", "push", "issue_dependencies"]) {
      expect(routeEvent(event, payload, ctx).kind).toBe("ignore");
    }
  });
});

describe("taskFromBranch", () => {
  it.each([
    ["architect/12-add-api", 12],
    ["refs/heads/architect/3-x", 3],
    ["architect/x-12", null],
    ["main", null],
    [null, null],
  ])("%s → %s", (ref, expected) => {
    expect(taskFromBranch(ref)).toBe(expected);
  });
});
