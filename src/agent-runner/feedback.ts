import type { CheckFailure, ReviewComment, ReviewFeedback } from "./prompt.js";

/**
 * Picks, from what the REST API returns, the feedback a rework run needs. Pure functions
 * over the API's JSON shapes (only the fields used), so the choices are table-tested.
 */

/** `GET /pulls/{n}/reviews` item, the fields used. */
export interface ApiReview {
  id: number;
  state: string;
  body: string | null;
  submitted_at?: string | null;
  user: { login: string; type?: string } | null;
}

/** `GET /pulls/{n}/reviews/{id}/comments` item, the fields used. */
export interface ApiReviewComment {
  path: string;
  line?: number | null;
  original_line?: number | null;
  body: string;
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

/**
 * The most recent "changes requested" review by a person (bots' reviews are not feedback
 * an agent should obey). Reviews come oldest first; ties keep the later entry.
 */
export function pickChangesRequested(reviews: readonly ApiReview[]): ApiReview | null {
  let latest: ApiReview | null = null;
  for (const review of reviews) {
    if (review.state !== "CHANGES_REQUESTED" || !review.user || review.user.type === "Bot") continue;
    if (!latest || (review.submitted_at ?? "") >= (latest.submitted_at ?? "")) latest = review;
  }
  return latest;
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
