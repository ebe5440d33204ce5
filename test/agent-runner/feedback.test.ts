import { describe, expect, it } from "vitest";
import { pickChangesRequested, pickFailingChecks, toReviewFeedback, type ApiCheckRun, type ApiReview } from "../../src/agent-runner/feedback.js";

const review = (id: number, state: string, login: string, at: string, type = "User"): ApiReview => ({
  id,
  state,
  body: `review ${id}`,
  submitted_at: at,
  user: { login, type },
});

describe("pickChangesRequested", () => {
  it.each<[string, ApiReview[], number | null]>([
    ["none", [], null],
    ["only approvals", [review(1, "APPROVED", "a", "2025-01-01T00:00:00Z")], null],
    ["the latest of two", [review(1, "CHANGES_REQUESTED", "a", "2025-01-01T00:00:00Z"), review(2, "CHANGES_REQUESTED", "b", "2025-01-02T00:00:00Z")], 2],
    ["by time, not list order", [review(2, "CHANGES_REQUESTED", "b", "2025-01-02T00:00:00Z"), review(1, "CHANGES_REQUESTED", "a", "2025-01-01T00:00:00Z")], 2],
    ["ignoring bots", [review(1, "CHANGES_REQUESTED", "a", "2025-01-01T00:00:00Z"), review(2, "CHANGES_REQUESTED", "ci[bot]", "2025-01-03T00:00:00Z", "Bot")], 1],
    ["ignoring comments", [review(1, "CHANGES_REQUESTED", "a", "2025-01-01T00:00:00Z"), review(2, "COMMENTED", "b", "2025-01-03T00:00:00Z")], 1],
  ])("picks %s", (_label, reviews, expected) => {
    expect(pickChangesRequested(reviews)?.id ?? null).toBe(expected);
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
