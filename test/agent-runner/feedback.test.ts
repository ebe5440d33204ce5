import { describe, expect, it } from "vitest";
import { pickFailingChecks, reviewRefusal, toReviewFeedback, unresolvedComments, type ApiCheckRun, type ApiReview } from "../../src/agent-runner/feedback.js";

const review = (id: number, state: string, login: string, at: string, type = "User"): ApiReview => ({
  id,
  state,
  body: `review ${id}`,
  submitted_at: at,
  user: { login, type },
});

const HEAD = { number: 5, head: { sha: "h".repeat(40) } };
const onHead = (r: ApiReview): ApiReview => ({ ...r, commit_id: HEAD.head.sha });

describe("reviewRefusal: the review a review run acts on (issue 10)", () => {
  const decided = onHead(review(11, "CHANGES_REQUESTED", "maintainer", "2025-01-01T00:00:00Z"));

  it("accepts the decided review by a writer on the current head", () => {
    expect(reviewRefusal(decided, 11, HEAD, "write")).toBeNull();
    expect(reviewRefusal(decided, 11, HEAD, "maintain")).toBeNull();
    expect(reviewRefusal(decided, 11, HEAD, "admin")).toBeNull();
  });

  it.each<[string, ApiReview | null, number, string | null, RegExp]>([
    ["a missing review", null, 11, "write", /review 11 is not a review of pull request #5/],
    ["another review than the one named", decided, 12, "write", /review 12 is not a review/],
    ["a reader's review", decided, 11, "read", /@maintainer, who wrote review 11, does not have write access to the repository \(role: read\)/],
    ["a stranger (no role)", decided, 11, null, /does not have write access to the repository \(role: none\)/],
    ["a triager", decided, 11, "triage", /does not have write access/],
    ["a bot", onHead(review(11, "CHANGES_REQUESTED", "ci[bot]", "x", "Bot")), 11, "write", /is by a bot/],
    ["an approval", onHead(review(11, "APPROVED", "maintainer", "x")), 11, "write", /is approved, not "changes requested"/],
    ["a dismissed review", onHead(review(11, "DISMISSED", "maintainer", "x")), 11, "write", /is dismissed/],
    ["a review of an older head", { ...decided, commit_id: "0".repeat(40) }, 11, "write", /made on 0000000, not on the pull request's current head hhhhhhh/],
    ["a deleted author", { ...decided, user: null }, 11, "write", /no author/],
  ])("refuses %s", (_label, r, id, role, message) => {
    expect(reviewRefusal(r, id, HEAD, role)).toMatch(message);
  });
});

describe("unresolvedComments", () => {
  it("keeps comments of unresolved threads only, replies by their thread's first comment, unknown threads out", () => {
    const comments = [
      { id: 1, path: "a.ts", body: "open thread" },
      { id: 2, path: "b.ts", body: "resolved thread" },
      { id: 3, in_reply_to_id: 1, path: "a.ts", body: "reply in open thread" },
      { id: 4, in_reply_to_id: 2, path: "b.ts", body: "reply in resolved thread" },
      { id: 5, path: "c.ts", body: "thread not listed" },
    ];
    const threads = [
      { firstCommentId: 1, isResolved: false },
      { firstCommentId: 2, isResolved: true },
    ];
    expect(unresolvedComments(comments, threads).map((c) => c.body)).toEqual(["open thread", "reply in open thread"]);
  });
});

describe("toReviewFeedback", () => {
  it("keeps the line, falling back to the original line for outdated comments", () => {
    const feedback = toReviewFeedback(review(1, "CHANGES_REQUESTED", "alice", "x"), [
      { path: "a.ts", line: 3, body: "one" },
      { path: "b.ts", line: null, original_line: 9, body: "two" },
      { path: "c.ts", body: "three" },
    ]);
    expect(feedback).toEqual({
      reviewer: "alice",
      body: "review 1",
      comments: [
        { path: "a.ts", line: 3, body: "one" },
        { path: "b.ts", line: 9, body: "two" },
        { path: "c.ts", line: null, body: "three" },
      ],
    });
  });
});

describe("pickFailingChecks", () => {
  const run = (name: string, status: string, conclusion: string | null): ApiCheckRun => ({
    name,
    status,
    conclusion,
    output: { title: `${name} title`, summary: `${name} summary` },
  });

  it("keeps completed failures, sorted, and skips Architect's own gate", () => {
    const failures = pickFailingChecks([
      run("test", "completed", "failure"),
      run("architect/dag", "completed", "failure"),
      run("lint", "completed", "timed_out"),
      run("build", "completed", "success"),
      run("e2e", "in_progress", null),
      run("docs", "completed", "neutral"),
    ]);
    expect(failures.map((f) => [f.name, f.conclusion])).toEqual([
      ["lint", "timed_out"],
      ["test", "failure"],
    ]);
    expect(failures[1]).toEqual({ name: "test", conclusion: "failure", title: "test title", summary: "test summary" });
  });
});
