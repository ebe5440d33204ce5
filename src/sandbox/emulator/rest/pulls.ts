import { notFound, unprocessable, validationFailed } from "../errors.js";
import type { PullRequest, Review } from "../model.js";
import { paginate, repoOf, str, type RouteContext, type Router } from "./router.js";

/** Pull requests, merging and reviews. */
export function pullRoutes(router: Router): void {
  const base = "/repos/{owner}/{repo}";

  router.add("GET", `${base}/pulls`, (ctx) => {
    const repo = repoOf(ctx);
    const state = ctx.query.get("state") ?? "open";
    const head = ctx.query.get("head");
    const baseRef = ctx.query.get("base");
    let pulls = [...repo.pulls.values()].filter((p) => state === "all" || p.issue.state === state);
    if (head) {
      const [owner, branch] = head.includes(":") ? head.split(":") : [repo.owner.login, head];
      pulls = owner!.toLowerCase() === repo.owner.login.toLowerCase() ? pulls.filter((p) => p.headRef === branch) : [];
    }
    if (baseRef) pulls = pulls.filter((p) => p.baseRef === baseRef);
    const direction = ctx.query.get("direction") ?? "desc";
    pulls.sort((a, b) => (direction === "asc" ? a.issue.number - b.issue.number : b.issue.number - a.issue.number));
    const { page, headers } = paginate(pulls, ctx);
    return { status: 200, json: page.map((p) => ctx.ser.pull(repo, p)), headers };
  });

  router.add("POST", `${base}/pulls`, (ctx) => {
    const repo = repoOf(ctx);
    const title = str(ctx.body, "title");
    const head = str(ctx.body, "head");
    const baseRef = str(ctx.body, "base");
    if (!title || !head || !baseRef) throw validationFailed("Validation Failed", "PullRequest", !title ? "title" : !head ? "head" : "base", "missing_field");
    const pull = ctx.world.openPull(repo, { title, body: str(ctx.body, "body") ?? null, head, base: baseRef, draft: ctx.body.draft === true, user: ctx.actor });
    return { status: 201, json: ctx.ser.pull(repo, pull) };
  });

  router.add("GET", `${base}/pulls/{pull_number}`, (ctx) => ({ status: 200, json: ctx.ser.pull(repoOf(ctx), pullOf(ctx)) }));

  router.add("PATCH", `${base}/pulls/{pull_number}`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    const state = str(ctx.body, "state");
    ctx.world.updateIssue(
      repo,
      pull.issue,
      {
        title: str(ctx.body, "title"),
        body: ctx.body.body === undefined ? undefined : (ctx.body.body as string | null),
        state: state === "open" || state === "closed" ? state : undefined,
      },
      ctx.actor,
    );
    return { status: 200, json: ctx.ser.pull(repo, pull) };
  });

  router.add("GET", `${base}/pulls/{pull_number}/merge`, (ctx) => {
    if (!pullOf(ctx).merged) throw notFound();
    return { status: 204 };
  });

  router.add("PUT", `${base}/pulls/{pull_number}/merge`, (ctx) => {
    const repo = repoOf(ctx);
    const method = str(ctx.body, "merge_method") ?? "merge";
    if (!["merge", "squash", "rebase"].includes(method)) throw unprocessable(`Invalid request.\n\n${JSON.stringify(method)} is not a member of ["merge", "squash", "rebase"].`);
    const result = ctx.world.mergePull(
      repo,
      pullOf(ctx),
      { sha: str(ctx.body, "sha"), method: method as "merge", commitTitle: str(ctx.body, "commit_title"), commitMessage: str(ctx.body, "commit_message") },
      ctx.actor,
    );
    return { status: 200, json: result };
  });

  router.add("PUT", `${base}/pulls/{pull_number}/update-branch`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    ctx.world.updatePullBranch(repo, pull, str(ctx.body, "expected_head_sha"), ctx.actor);
    return { status: 202, json: { message: "Updating pull request branch.", url: `${ctx.world.htmlUrl}/${repo.fullName}/pull/${pull.issue.number}` } };
  });

  router.add("GET", `${base}/pulls/{pull_number}/reviews`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    const { page, headers } = paginate(pull.reviews, ctx);
    return { status: 200, json: page.map((r) => ctx.ser.review(repo, pull, r)), headers };
  });

  router.add("POST", `${base}/pulls/{pull_number}/reviews`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    const event = str(ctx.body, "event");
    if (event !== "APPROVE" && event !== "REQUEST_CHANGES" && event !== "COMMENT") {
      // A review without an event is PENDING on GitHub; the sandbox does not model drafts.
      throw unprocessable("Unprocessable Entity: the sandbox only supports submitted reviews (event APPROVE, REQUEST_CHANGES or COMMENT)");
    }
    const comments = reviewCommentsInput(ctx.body.comments);
    const review = ctx.world.submitReview(repo, pull, { user: ctx.actor, event, body: str(ctx.body, "body"), commitId: str(ctx.body, "commit_id"), comments });
    return { status: 200, json: ctx.ser.review(repo, pull, review) };
  });

  // One review by id: 404 when this pull request has no such review (GitHub REST "Get a
  // review for a pull request", operation pulls/get-review in @octokit/openapi).
  router.add("GET", `${base}/pulls/{pull_number}/reviews/{review_id}`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    return { status: 200, json: ctx.ser.review(repo, pull, reviewOf(ctx, pull)) };
  });

  // The inline comments of one review, paged (GitHub REST "List comments for a pull request
  // review", operation pulls/list-comments-for-review in @octokit/openapi). The agent runner
  // reads a review run's comments here (issue 10 §4).
  router.add("GET", `${base}/pulls/{pull_number}/reviews/{review_id}/comments`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    const review = reviewOf(ctx, pull);
    const { page, headers } = paginate((pull.reviewComments ?? []).filter((c) => c.reviewId === review.id), ctx);
    return { status: 200, json: page.map((c) => ctx.ser.reviewComment(repo, pull, c)), headers };
  });

  router.add("PUT", `${base}/pulls/{pull_number}/reviews/{review_id}/dismissals`, (ctx) => {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx);
    const review = pull.reviews.find((r) => r.id === Number(ctx.params.review_id));
    if (!review) throw notFound();
    ctx.world.dismissReview(repo, pull, review, ctx.actor);
    return { status: 200, json: ctx.ser.review(repo, pull, review) };
  });
}

function reviewOf(ctx: RouteContext, pull: PullRequest): Review {
  const review = pull.reviews.find((r) => r.id === Number(ctx.params.review_id));
  if (!review) throw notFound();
  return review;
}

/** The `comments` of a review submission: path, body, optional line and in_reply_to. */
function reviewCommentsInput(value: unknown): { path: string; line: number | null; body: string; inReplyTo: number | null }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw unprocessable("Invalid request.\n\nFor 'properties/comments', it is not an array.");
  return value.map((c: unknown) => {
    const o = (c ?? {}) as Record<string, unknown>;
    if (typeof o.path !== "string" || typeof o.body !== "string") throw unprocessable("Invalid request.\n\nEach review comment needs a path and a body.");
    return { path: o.path, body: o.body, line: typeof o.line === "number" ? o.line : null, inReplyTo: typeof o.in_reply_to === "number" ? o.in_reply_to : null };
  });
}

function pullOf(ctx: RouteContext): PullRequest {
  return ctx.world.getPull(repoOf(ctx), Number(ctx.params.pull_number));
}
