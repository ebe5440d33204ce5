import { unprocessable } from "./errors.js";
import type { PullRequest, Repo, Review, ReviewState, User } from "./model.js";
import type { World } from "./state.js";

/** Pull request reviews. Mixed into `World`. */
export class ReviewsModel {
  /**
   * Submit a review on the head (or given) commit. Authors cannot approve or request changes
   * on their own PR (422). Emits `pull_request_review.submitted`.
   */
  submitReview(
    this: World,
    repo: Repo,
    pull: PullRequest,
    input: {
      user: User;
      event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT";
      body?: string;
      commitId?: string;
      /** Inline comments; each starts a thread, or replies to the comment `inReplyTo`. */
      comments?: { path: string; line?: number | null; body: string; inReplyTo?: number | null }[];
    },
  ): Review {
    if (pull.issue.state !== "open") throw unprocessable("Can not review a closed pull request");
    if (input.user === pull.issue.user && input.event !== "COMMENT") {
      throw unprocessable(input.event === "APPROVE" ? "Can not approve your own pull request" : "Can not request changes on your own pull request");
    }
    if ((input.event === "REQUEST_CHANGES" || input.event === "COMMENT") && !input.body) {
      throw unprocessable(`Unprocessable Entity: "Body is required for ${input.event === "COMMENT" ? "comment" : "request changes"} reviews"`);
    }
    const state: ReviewState = input.event === "APPROVE" ? "APPROVED" : input.event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : "COMMENTED";
    const review: Review = {
      ...this.newIds("PullRequestReview"),
      user: input.user,
      body: input.body ?? "",
      state,
      commitId: input.commitId ?? pull.headSha,
      submittedAt: this.clock.now(),
    };
    pull.reviews.push(review);
    this.register({ type: "PullRequestReview", ref: review });
    for (const c of input.comments ?? []) {
      const comments = (pull.reviewComments ??= []);
      if (c.inReplyTo != null && !comments.some((x) => x.id === c.inReplyTo)) throw unprocessable(`in_reply_to ${c.inReplyTo} is not a review comment of this pull request`);
      // GitHub points every reply at the thread's first comment.
      const root = c.inReplyTo == null ? null : (comments.find((x) => x.id === c.inReplyTo)?.inReplyTo ?? c.inReplyTo);
      comments.push({ ...this.newIds("PullRequestReviewComment"), reviewId: review.id, user: input.user, path: c.path, line: c.line ?? null, body: c.body, inReplyTo: root, createdAt: review.submittedAt });
    }
    this.emit("pull_request_review", "submitted", repo, input.user, { pull, issue: pull.issue, review });
    return review;
  }

  /** Mark the thread that starts with comment `firstCommentId` resolved or not (GraphQL resolveReviewThread). */
  setThreadResolved(this: World, pull: PullRequest, firstCommentId: number, resolved: boolean): void {
    if (!(pull.reviewComments ?? []).some((c) => c.id === firstCommentId && c.inReplyTo === null)) throw unprocessable("Could not resolve to a review thread");
    const set = (pull.resolvedThreads ??= new Set());
    if (resolved) set.add(firstCommentId);
    else set.delete(firstCommentId);
  }

  /** Dismiss a review (state DISMISSED); emits `pull_request_review.dismissed`. */
  dismissReview(this: World, repo: Repo, pull: PullRequest, review: Review, sender: User): void {
    if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") throw unprocessable("Can not dismiss a commented pull request review");
    review.state = "DISMISSED";
    this.emit("pull_request_review", "dismissed", repo, sender, { pull, issue: pull.issue, review });
  }

  dismissStaleApprovals(this: World, repo: Repo, pull: PullRequest): void {
    if (!this.branchRequirements(repo, pull.baseRef).dismissStaleReviews) return;
    for (const review of pull.reviews) {
      if (review.state === "APPROVED" && review.commitId !== pull.headSha) {
        review.state = "DISMISSED";
        this.emit("pull_request_review", "dismissed", repo, this.ensureUser("github-actions[bot]", "Bot"), { pull, issue: pull.issue, review });
      }
    }
  }
}
