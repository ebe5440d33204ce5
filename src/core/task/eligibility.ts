import type { BranchProtectionFacts, CheckFacts, PullFacts, ReviewFacts } from "../decide/snapshot.js";

/**
 * Who may gate a task PR, and what its required checks say. Approvals are the human gates
 * of the graph, so the rules fail closed: a review that cannot be shown to be eligible
 * and current does not count.
 */

/** The name of Architect's own check run; it is an output of this logic, never an input. */
export const DAG_CHECK_NAME = "architect/dag";

/** The people whose reviews never count: whoever asked for the plan, and the App itself. */
export interface ReviewContext {
  /** Login that requested the plan (control.requestedBy); self-approval is not a gate. */
  requester: string;
  /** The App's bot login; a bot approving its own agent's work is not a gate. */
  botLogin: string;
}

const sameLogin = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Each author's standing review: the last one that approved or requested changes.
 * Comments and pending drafts do not change a standing review; a dismissal withdraws it.
 */
export function latestReviewByAuthor(reviews: readonly ReviewFacts[]): Map<string, ReviewFacts> {
  // Stable sort: equal timestamps keep the order GitHub listed them in.
  const ordered = [...reviews].sort((a, b) => a.submittedAt - b.submittedAt);
  const latest = new Map<string, ReviewFacts>();
  for (const review of ordered) {
    const author = review.author.toLowerCase();
    if (review.state === "APPROVED" || review.state === "CHANGES_REQUESTED") latest.set(author, review);
    else if (review.state === "DISMISSED") latest.delete(author);
  }
  return latest;
}

/** A reviewer whose verdict gates the PR: a human with write access who is neither the requester, the bot nor the PR author. */
export function isEligibleReviewer(review: ReviewFacts, pull: PullFacts, ctx: ReviewContext): boolean {
  return (
    review.authorCanWrite &&
    !review.authorIsBot &&
    !sameLogin(review.author, ctx.botLogin) &&
    !sameLogin(review.author, ctx.requester) &&
    !sameLogin(review.author, pull.author)
  );
}

/** Approvals that count toward the gate; an approval of an older head is stale and does not. */
export function countApprovals(pull: PullFacts, ctx: ReviewContext): number {
  let count = 0;
  for (const review of latestReviewByAuthor(pull.reviews).values()) {
    if (review.state === "APPROVED" && review.commitSha === pull.headSha && isEligibleReviewer(review, pull, ctx)) count++;
  }
  return count;
}

/**
 * The newest eligible "changes requested" submitted after `since` (epoch ms), or null.
 * The head-SHA rule does not apply: the request is about the work, and the agent's answer
 * is exactly what moves the head.
 */
export function pendingChangesRequest(pull: PullFacts, ctx: ReviewContext, since: number): ReviewFacts | null {
  let newest: ReviewFacts | null = null;
  for (const review of latestReviewByAuthor(pull.reviews).values()) {
    if (review.state !== "CHANGES_REQUESTED" || review.submittedAt <= since) continue;
    if (!isEligibleReviewer(review, pull, ctx)) continue;
    if (newest === null || review.submittedAt > newest.submittedAt) newest = review;
  }
  return newest;
}

export type ChecksState = "green" | "red" | "pending";

const GREEN_CONCLUSIONS = new Set<CheckFacts["conclusion"]>(["success", "neutral", "skipped"]);
const RED_CONCLUSIONS = new Set<CheckFacts["conclusion"]>(["failure", "timed_out", "cancelled", "action_required", "startup_failure"]);

/** One check's verdict; anything not clearly finished (including `stale`) is pending. */
export function checkState(check: CheckFacts): ChecksState {
  if (check.status !== "completed") return "pending";
  if (GREEN_CONCLUSIONS.has(check.conclusion)) return "green";
  if (RED_CONCLUSIONS.has(check.conclusion)) return "red";
  return "pending";
}

/** The names of the checks that gate this PR, without Architect's own. */
export function requiredCheckNames(pull: PullFacts, protection: BranchProtectionFacts | null): string[] {
  const names = new Set<string>();
  for (const check of pull.checks) if (check.isRequired) names.add(check.name);
  for (const name of protection?.requiredChecks ?? []) names.add(name);
  names.delete(DAG_CHECK_NAME);
  return [...names].sort();
}

/**
 * The combined verdict of the required checks on the PR head. Fails closed: a check the
 * protection requires but the head does not have yet is pending, and when a name was
 * reported more than once the worst report wins.
 */
export function requiredChecksState(pull: PullFacts, protection: BranchProtectionFacts | null): ChecksState {
  // A merge group built from this very head failed: the PR left the queue and goes back to
  // its agent like a red check (a new head is a new chance).
  if (queueFailure(pull)) return "red";
  let pending = false;
  for (const name of requiredCheckNames(pull, protection)) {
    const reports = pull.checks.filter((c) => c.name === name).map(checkState);
    if (reports.includes("red")) return "red";
    if (reports.length === 0 || reports.includes("pending")) pending = true;
  }
  return pending ? "pending" : "green";
}


/**
 * Why the merge queue removed the PR at its current head, or null: the group's required
 * checks failed or it conflicted. A person's own `MANUAL` removal is not a failure.
 */
export function queueFailure(pull: PullFacts): string | null {
  const removal = (pull.queueRemovals ?? []).filter((r) => r.headSha === pull.headSha && !/^manual$/i.test(r.reason)).at(-1);
  return removal ? removal.reason || "removed" : null;
}
