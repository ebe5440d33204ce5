import { describe, expect, it } from "vitest";
import type { BranchProtectionFacts, CheckFacts, ReviewFacts } from "../decide/snapshot.js";
import { makeCheck, makePull, makeReview } from "../decide/test-builders.js";
import { countApprovals, latestReviewByAuthor, pendingChangesRequest, requiredChecksState } from "./eligibility.js";

const ctx = { requester: "alice", botLogin: "architect[bot]" };

describe("latestReviewByAuthor", () => {
  it.each<{ name: string; reviews: ReviewFacts[]; want: Record<string, ReviewFacts["state"]> }>([
    { name: "a later comment does not replace an approval", reviews: [makeReview("bob", "APPROVED", { submittedAt: 1 }), makeReview("bob", "COMMENTED", { submittedAt: 2 })], want: { bob: "APPROVED" } },
    { name: "a later changes request replaces an approval", reviews: [makeReview("bob", "APPROVED", { submittedAt: 1 }), makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 2 })], want: { bob: "CHANGES_REQUESTED" } },
    { name: "order is by submission time, not list order", reviews: [makeReview("bob", "APPROVED", { submittedAt: 5 }), makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 2 })], want: { bob: "APPROVED" } },
    { name: "a dismissal withdraws the standing review", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 1 }), makeReview("bob", "DISMISSED", { submittedAt: 2 })], want: {} },
    { name: "pending drafts are ignored", reviews: [makeReview("bob", "PENDING", { submittedAt: 1 })], want: {} },
    { name: "authors are kept apart, logins compared case-insensitively", reviews: [makeReview("Bob", "APPROVED", { submittedAt: 1 }), makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 2 }), makeReview("carol", "APPROVED")], want: { bob: "CHANGES_REQUESTED", carol: "APPROVED" } },
  ])("$name", ({ reviews, want }) => {
    const got = Object.fromEntries([...latestReviewByAuthor(reviews)].map(([a, r]) => [a, r.state]));
    expect(got).toEqual(want);
  });
});

describe("countApprovals", () => {
  it.each<{ name: string; reviews: ReviewFacts[]; want: number }>([
    { name: "an eligible approval on the head counts", reviews: [makeReview("bob", "APPROVED")], want: 1 },
    { name: "two eligible reviewers count twice", reviews: [makeReview("bob", "APPROVED"), makeReview("carol", "APPROVED")], want: 2 },
    { name: "the requester's approval does not count", reviews: [makeReview("alice", "APPROVED")], want: 0 },
    { name: "the requester in another case does not count", reviews: [makeReview("Alice", "APPROVED")], want: 0 },
    { name: "the bot's approval does not count", reviews: [makeReview("architect[bot]", "APPROVED")], want: 0 },
    { name: "any bot's approval does not count", reviews: [makeReview("helper[bot]", "APPROVED", { authorIsBot: true })], want: 0 },
    { name: "no write access does not count", reviews: [makeReview("bob", "APPROVED", { authorCanWrite: false })], want: 0 },
    { name: "the PR author's approval does not count", reviews: [makeReview("dave", "APPROVED")], want: 0 },
    { name: "an approval of an older head is stale", reviews: [makeReview("bob", "APPROVED", { commitSha: "old" })], want: 0 },
    { name: "an approval later dismissed does not count", reviews: [makeReview("bob", "APPROVED", { submittedAt: 1 }), makeReview("bob", "DISMISSED", { submittedAt: 2 })], want: 0 },
    { name: "an approval superseded by changes requested does not count", reviews: [makeReview("bob", "APPROVED", { submittedAt: 1 }), makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 2 })], want: 0 },
  ])("$name", ({ reviews, want }) => {
    expect(countApprovals(makePull(7, { author: "dave", reviews }), ctx)).toBe(want);
  });
});

describe("pendingChangesRequest", () => {
  it.each<{ name: string; reviews: ReviewFacts[]; since: number; want: string | null }>([
    { name: "a request after `since` is pending", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 50 })], since: 10, want: "bob" },
    { name: "a request before `since` was already answered", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 5 })], since: 10, want: null },
    { name: "the head-SHA rule does not apply", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 50, commitSha: "old" })], since: 10, want: "bob" },
    { name: "the requester's request is not a gate", reviews: [makeReview("alice", "CHANGES_REQUESTED", { submittedAt: 50 })], since: 10, want: null },
    { name: "a reader without write access is not a gate", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 50, authorCanWrite: false })], since: 10, want: null },
    { name: "a request since approved is gone", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 50 }), makeReview("bob", "APPROVED", { submittedAt: 60 })], since: 10, want: null },
    { name: "the newest of several requests wins", reviews: [makeReview("bob", "CHANGES_REQUESTED", { submittedAt: 50 }), makeReview("carol", "CHANGES_REQUESTED", { submittedAt: 70 })], since: 10, want: "carol" },
  ])("$name", ({ reviews, since, want }) => {
    expect(pendingChangesRequest(makePull(7, { reviews }), ctx, since)?.author ?? null).toBe(want);
  });
});

describe("requiredChecksState", () => {
  const protection = (requiredChecks: string[]): BranchProtectionFacts => ({ enabled: true, requiredChecks, requiredApprovals: 1 });
  it.each<{ name: string; checks: CheckFacts[]; protection: BranchProtectionFacts | null; want: string }>([
    { name: "no required checks at all is green", checks: [makeCheck("lint", { isRequired: false, conclusion: "failure" })], protection: null, want: "green" },
    { name: "a passing required check is green", checks: [makeCheck("ci")], protection: protection(["ci"]), want: "green" },
    { name: "neutral and skipped are green", checks: [makeCheck("ci", { conclusion: "neutral" }), makeCheck("e2e", { conclusion: "skipped" })], protection: null, want: "green" },
    { name: "a required check named by protection but absent is pending (fail closed)", checks: [], protection: protection(["ci"]), want: "pending" },
    { name: "a running required check is pending", checks: [makeCheck("ci", { status: "in_progress", conclusion: null })], protection: null, want: "pending" },
    { name: "a stale conclusion is not green", checks: [makeCheck("ci", { conclusion: "stale" })], protection: null, want: "pending" },
    ...(["failure", "timed_out", "cancelled", "action_required", "startup_failure"] as const).map((conclusion) => ({
      name: `${conclusion} is red`,
      checks: [makeCheck("ci", { conclusion })],
      protection: null,
      want: "red",
    })),
    { name: "red wins over pending", checks: [makeCheck("ci", { status: "queued", conclusion: null }), makeCheck("e2e", { conclusion: "failure" })], protection: null, want: "red" },
    { name: "a non-required failure is ignored", checks: [makeCheck("ci"), makeCheck("lint", { isRequired: false, conclusion: "failure" })], protection: null, want: "green" },
    { name: "architect/dag itself never gates", checks: [makeCheck("ci"), makeCheck("architect/dag", { status: "in_progress", conclusion: null })], protection: protection(["ci", "architect/dag"]), want: "green" },
    { name: "a name reported twice takes the worst report", checks: [makeCheck("ci"), makeCheck("ci", { conclusion: "failure" })], protection: null, want: "red" },
  ])("$name", ({ checks, protection, want }) => {
    expect(requiredChecksState(makePull(7, { checks }), protection)).toBe(want);
  });
});
