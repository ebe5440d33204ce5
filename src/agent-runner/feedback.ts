import type { CheckFailure, ReviewComment, ReviewFeedback } from "./prompt.js";

/**
 * Picks, from what the REST API returns, the feedback a rework run needs. Pure functions
 * over the API's JSON shapes (only the fields used), so the choices are table-tested.
 */

/** `GET /pulls/{n}/reviews/{id}` answer, the fields used. */
export interface ApiReview {
  id: number;
  state: string;
  body: string | null;
  submitted_at?: string | null;
  /** The commit the review was made on. */
  commit_id?: string | null;
  user: { login: string; type?: string } | null;
}

/** `GET /pulls/{n}/reviews/{id}/comments` item, the fields used. */
export interface ApiReviewComment {
  id?: number;
  /** Set on a reply: the id of the thread's first comment. */
  in_reply_to_id?: number | null;
  path: string;
  line?: number | null;
  original_line?: number | null;
  body: string;
}

/** A review thread from GraphQL `reviewThreads`: resolved or not, and its first comment's REST id. */
export interface ApiReviewThread {
  isResolved: boolean;
  firstCommentId: number;
}

/** `GET /commits/{sha}/check-runs` item, the fields used. */
export interface ApiCheckRun {
  name: string;
  status: string;
  conclusion: string | null;
  output?: { title?: string | null; summary?: string | null } | null;
  app?: { slug?: string } | null;
}

/** Architect's own gate check: pending or failing for reasons an agent cannot fix. */
export const DAG_CHECK_NAME = "architect/dag";

const FAILED = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure"]);

/** Roles that can push to the repository (`GET /collaborators/{user}/permission` `role_name`; legacy `permission` says admin or write). */
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Why the review a review run was dispatched for must not be acted on, or null when it may.
 * Architect decided on this review (the dispatch names its id); the runner checks it again,
 * because the review's author, state or the PR's head may have changed since, and because
 * the dispatch inputs are the only thing tying the run to it: never "the newest review",
 * which anyone who can comment on a public repository could write.
 */
export function reviewRefusal(review: ApiReview | null, reviewId: number, pull: { number: number; head: { sha: string } }, authorRole: string | null): string | null {
  if (!review || review.id !== reviewId) return `review ${reviewId} is not a review of pull request #${pull.number}`;
  if (!review.user) return `review ${reviewId} has no author (deleted account)`;
  if (review.user.type === "Bot" || review.user.login.endsWith("[bot]")) return `review ${reviewId} is by a bot (@${review.user.login}), not a person`;
  if (review.state !== "CHANGES_REQUESTED") return `review ${reviewId} by @${review.user.login} is ${review.state.toLowerCase().replace(/_/g, " ")}, not "changes requested"`;
  if (!authorRole || !WRITE_ROLES.has(authorRole)) {
    return `@${review.user.login}, who wrote review ${reviewId}, does not have write access to the repository (role: ${authorRole ?? "none"})`;
  }
  if (!review.commit_id || review.commit_id !== pull.head.sha) {
    return `review ${reviewId} was made on ${review.commit_id?.slice(0, 7) ?? "an unknown commit"}, not on the pull request's current head ${pull.head.sha.slice(0, 7)}`;
  }
  return null;
}

/**
 * The review's inline comments that belong to unresolved threads. A comment's thread is the
 * one whose first comment is the comment itself or the one it replies to; a comment whose
 * thread is not among `threads` (unknown) is left out, failing closed.
 */
export function unresolvedComments(comments: readonly ApiReviewComment[], threads: readonly ApiReviewThread[]): ApiReviewComment[] {
  const open = new Set(threads.filter((t) => !t.isResolved).map((t) => t.firstCommentId));
  return comments.filter((c) => {
    const root = c.in_reply_to_id ?? c.id;
    return root !== undefined && root !== null && open.has(root);
  });
}

/** Shape a review and its inline comments for the prompt. */
export function toReviewFeedback(review: ApiReview, comments: readonly ApiReviewComment[]): ReviewFeedback {
  return {
    reviewer: review.user?.login ?? "unknown",
    body: review.body ?? "",
    comments: comments.map(
      (c): ReviewComment => ({ path: c.path, line: c.line ?? c.original_line ?? null, body: c.body }),
    ),
  };
}

/** Completed, unsuccessful checks other than Architect's own gate, in name order. */
export function pickFailingChecks(runs: readonly ApiCheckRun[]): CheckFailure[] {
  return runs
    .filter((run) => run.status === "completed" && FAILED.has(run.conclusion ?? "") && run.name !== DAG_CHECK_NAME)
    .map((run) => ({
      name: run.name,
      conclusion: run.conclusion ?? "failure",
      title: run.output?.title ?? "",
      summary: run.output?.summary ?? "",
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
