import { GitHubApiError } from "../errors.js";
import type { CheckConclusion, CheckRun, CheckStatus, Comment, Issue, Label, PullRequest, Repo } from "../model.js";
import { canSee, nodeById } from "./resolvers.js";
import { GraphqlTypedError, RefView, type Resolver, type ResolverContext, type ResolverMap } from "./views.js";

/**
 * The mutations Architect sends, with GitHub's semantics, applied through the world's own
 * methods so REST and GraphQL share every rule (and every webhook). Each throws on failure;
 * graphql-js turns that into an error with the alias's `path` while sibling aliases run on.
 */

type Input<T = Record<string, unknown>> = { input: T };

/** Resolve a node id to an object of one of the wanted types, as GitHub does. */
function need<T>(ctx: ResolverContext, id: unknown, types: string[], what: string): T {
  const node = typeof id === "string" ? ctx.world.lookupNode(id) : null;
  if (!node || !types.includes(node.type) || nodeById(ctx, id as string) === null) {
    throw new GraphqlTypedError("NOT_FOUND", `Could not resolve to a node with the global id of '${String(id)}'${what ? ` (${what})` : ""}.`);
  }
  return node.ref as T;
}

/** The issue half of an issue or PR id (labels, comments, assignees live there). */
function issueOf(ctx: ResolverContext, id: unknown, what: string): Issue {
  const ref = need<Issue | PullRequest>(ctx, id, ["Issue", "PullRequest"], what);
  return "subIssues" in ref ? ref : ref.issue;
}

function labelsIn(ctx: ResolverContext, repo: Repo, ids: unknown): Label[] {
  return (Array.isArray(ids) ? ids : []).map((id) => {
    const label = need<Label>(ctx, id, ["Label"], "label");
    if (![...repo.labels.values()].includes(label)) throw new GraphqlTypedError("NOT_FOUND", `Label '${String(id)}' does not belong to ${repo.fullName}.`);
    return label;
  });
}

function requireWrite(ctx: ResolverContext, repo: Repo, level: "read" | "triage" | "write" = "triage"): void {
  if (ctx.auth.grant.kind === "installation") return; // the App's permissions are checked by the installation grant
  if (!ctx.world.hasPermission(repo, ctx.auth.actor.login, level)) {
    throw new GraphqlTypedError("FORBIDDEN", `${ctx.auth.actor.login} does not have the correct permissions to execute this mutation.`);
  }
}

const CHECK_STATUS: Record<string, CheckStatus> = { QUEUED: "queued", IN_PROGRESS: "in_progress", COMPLETED: "completed", WAITING: "waiting", PENDING: "pending", REQUESTED: "requested" };

function checkPatch(input: Record<string, unknown>) {
  const output = input.output as { title?: string; summary?: string; text?: string } | undefined;
  return {
    status: typeof input.status === "string" ? CHECK_STATUS[input.status] : undefined,
    conclusion: typeof input.conclusion === "string" ? (input.conclusion.toLowerCase() as CheckConclusion) : undefined,
    output: output ? { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null } : undefined,
    detailsUrl: (input.detailsUrl as string | undefined) ?? undefined,
    externalId: (input.externalId as string | undefined) ?? undefined,
  };
}

function repoOfComment(ctx: ResolverContext, comment: Comment): Repo {
  for (const repo of ctx.world.repos.values()) if (ctx.world.findComment(repo, comment.id)) return repo;
  throw new GraphqlTypedError("NOT_FOUND", "Comment not found");
}

/** Adding and removing a dependency take the same input, rules and payload; only the world's change differs. */
function blockedByMutation(change: "addBlockedBy" | "removeBlockedBy"): Resolver {
  return (_s, { input }: Input, ctx: ResolverContext) => {
    const blocked = issueOf(ctx, input.issueId, "blocked issue");
    const blocker = issueOf(ctx, input.blockingIssueId, "blocking issue");
    requireWrite(ctx, blocked.repo);
    ctx.world[change](blocked.repo, blocked, blocker, ctx.auth.actor);
    return { issue: blocked, blockingIssue: blocker, clientMutationId: input.clientMutationId ?? null };
  };
}

const METHOD = { MERGE: "merge", SQUASH: "squash", REBASE: "rebase" } as const;

export const mutationResolvers: ResolverMap = {
  Mutation: {
    createIssue: (_s, { input }: Input, ctx) => {
      const repo = need<Repo>(ctx, input.repositoryId, ["Repository"], "repository");
      requireWrite(ctx, repo, "read");
      const labels = labelsIn(ctx, repo, input.labelIds);
      const parent = input.parentIssueId ? issueOf(ctx, input.parentIssueId, "parent issue") : null;
      // Validate the link first: GitHub does not leave a half-made issue when the parent is full.
      if (parent && parent.subIssues.length >= 100) throw new GraphqlTypedError("UNPROCESSABLE", "Parent cannot have more than 100 sub-issues");
      const issue = ctx.world.createIssue(repo, {
        title: String(input.title ?? ""),
        body: (input.body as string | undefined) ?? "",
        labels: labels.map((l) => l.name),
        user: ctx.auth.actor,
      });
      if (parent) ctx.world.addSubIssue(repo, parent, issue, {}, ctx.auth.actor);
      return { issue, clientMutationId: input.clientMutationId ?? null };
    },

    createLabel: (_s, { input }: Input, ctx) => {
      const repo = need<Repo>(ctx, input.repositoryId, ["Repository"], "repository");
      requireWrite(ctx, repo, "write");
      const name = String(input.name ?? "");
      if (!name.trim()) throw new GraphqlTypedError("UNPROCESSABLE", "Name can't be blank");
      if (repo.labels.has(name.toLowerCase())) throw new GraphqlTypedError("UNPROCESSABLE", "Name has already been taken");
      const label = ctx.world.createLabel(repo, { name, color: input.color as string | undefined, description: (input.description as string | undefined) ?? null });
      return { label, clientMutationId: input.clientMutationId ?? null };
    },

    createRef: (_s, { input }: Input, ctx) => {
      const repo = need<Repo>(ctx, input.repositoryId, ["Repository"], "repository");
      requireWrite(ctx, repo, "write");
      const name = String(input.name ?? "");
      // An existing ref is the lock; GraphQL words it differently from REST's "Reference already exists".
      if (repo.branches.has(name.replace(/^refs\/heads\//, ""))) throw new GraphqlTypedError("UNPROCESSABLE", `A ref named "${name}" already exists in the repository.`);
      ctx.world.createRef(repo, name, String(input.oid ?? ""), ctx.auth.actor);
      const branch = name.replace(/^refs\/heads\//, "");
      return { ref: new RefView(repo, branch, branch, "refs/heads/"), clientMutationId: input.clientMutationId ?? null };
    },

    addSubIssue: (_s, { input }: Input, ctx) => {
      const parent = issueOf(ctx, input.issueId, "parent");
      const child = input.subIssueId ? issueOf(ctx, input.subIssueId, "sub-issue") : null;
      if (!child) throw new GraphqlTypedError("UNPROCESSABLE", "subIssueId is required by the sandbox");
      requireWrite(ctx, parent.repo);
      ctx.world.addSubIssue(parent.repo, parent, child, { replaceParent: input.replaceParent === true }, ctx.auth.actor);
      return { issue: parent, subIssue: child, clientMutationId: input.clientMutationId ?? null };
    },

    addBlockedBy: blockedByMutation("addBlockedBy"),

    removeBlockedBy: blockedByMutation("removeBlockedBy"),

    addLabelsToLabelable: (_s, { input }: Input, ctx) => {
      const issue = issueOf(ctx, input.labelableId, "labelable");
      requireWrite(ctx, issue.repo);
      const labels = labelsIn(ctx, issue.repo, input.labelIds);
      ctx.world.addLabels(issue.repo, issue, labels.map((l) => l.name), ctx.auth.actor);
      return { labelable: issue.pull ?? issue, clientMutationId: input.clientMutationId ?? null };
    },

    removeLabelsFromLabelable: (_s, { input }: Input, ctx) => {
      const issue = issueOf(ctx, input.labelableId, "labelable");
      requireWrite(ctx, issue.repo);
      // GitHub ignores labels the issue does not carry here (REST answers 404 instead).
      for (const label of labelsIn(ctx, issue.repo, input.labelIds)) {
        if (issue.labels.includes(label)) ctx.world.removeLabel(issue.repo, issue, label.name, ctx.auth.actor);
      }
      return { labelable: issue.pull ?? issue, clientMutationId: input.clientMutationId ?? null };
    },

    updateIssue: (_s, { input }: Input, ctx) => {
      const issue = issueOf(ctx, input.id, "issue");
      requireWrite(ctx, issue.repo);
      const state = input.state === "OPEN" ? "open" : input.state === "CLOSED" ? "closed" : undefined;
      ctx.world.updateIssue(
        issue.repo,
        issue,
        {
          title: input.title as string | undefined,
          body: input.body as string | undefined,
          state,
          labels: input.labelIds ? labelsIn(ctx, issue.repo, input.labelIds).map((l) => l.name) : undefined,
        },
        ctx.auth.actor,
      );
      return { issue, clientMutationId: input.clientMutationId ?? null };
    },

    closeIssue: (_s, { input }: Input, ctx) => {
      const issue = need<Issue>(ctx, input.issueId, ["Issue"], "issue");
      requireWrite(ctx, issue.repo);
      const reason = input.stateReason === "NOT_PLANNED" ? "not_planned" : input.stateReason === "DUPLICATE" ? "duplicate" : "completed";
      ctx.world.closeIssue(issue.repo, issue, reason, ctx.auth.actor);
      return { issue, clientMutationId: input.clientMutationId ?? null };
    },

    reopenIssue: (_s, { input }: Input, ctx) => {
      const issue = need<Issue>(ctx, input.issueId, ["Issue"], "issue");
      requireWrite(ctx, issue.repo);
      ctx.world.reopenIssue(issue.repo, issue, ctx.auth.actor);
      return { issue, clientMutationId: input.clientMutationId ?? null };
    },

    addComment: (_s, { input }: Input, ctx) => {
      const issue = issueOf(ctx, input.subjectId, "subject");
      if (!canSee(ctx, issue.repo)) throw new GraphqlTypedError("NOT_FOUND", "Subject not found");
      const comment = ctx.world.createComment(issue.repo, issue, String(input.body ?? ""), ctx.auth.actor, ctx.auth.app);
      return { commentEdge: { node: comment, cursor: "" }, subject: issue.pull ?? issue, timelineEdge: null, clientMutationId: input.clientMutationId ?? null };
    },

    updateIssueComment: (_s, { input }: Input, ctx) => {
      const comment = need<Comment>(ctx, input.id, ["IssueComment"], "comment");
      const repo = repoOfComment(ctx, comment);
      if (ctx.auth.actor !== comment.user) requireWrite(ctx, repo, "write");
      ctx.world.updateComment(repo, comment.id, String(input.body ?? ""), ctx.auth.actor);
      return { issueComment: comment, clientMutationId: input.clientMutationId ?? null };
    },

    createCheckRun: (_s, { input }: Input, ctx) => {
      const repo = need<Repo>(ctx, input.repositoryId, ["Repository"], "repository");
      if (!ctx.auth.app) throw new GraphqlTypedError("FORBIDDEN", "Resource not accessible by personal access token: only GitHub Apps can create check runs.");
      const patch = checkPatch(input);
      const run = ctx.world.createCheckRun(repo, ctx.auth.app, {
        name: String(input.name ?? ""),
        headSha: String(input.headSha ?? ""),
        status: patch.status,
        conclusion: patch.conclusion,
        output: patch.output,
        detailsUrl: patch.detailsUrl ?? null,
        externalId: patch.externalId ?? null,
      });
      ctx.repoOf.set(run, repo);
      return { checkRun: run, clientMutationId: input.clientMutationId ?? null };
    },

    updateCheckRun: (_s, { input }: Input, ctx) => {
      const repo = need<Repo>(ctx, input.repositoryId, ["Repository"], "repository");
      const run = need<CheckRun>(ctx, input.checkRunId, ["CheckRun"], "check run");
      if (!repo.checkRuns.includes(run)) throw new GraphqlTypedError("NOT_FOUND", "Check run not found in this repository");
      if (!ctx.auth.app) throw new GraphqlTypedError("FORBIDDEN", "Only GitHub Apps can update check runs.");
      const updated = ctx.world.updateCheckRun(repo, run.id, checkPatch(input), ctx.auth.app);
      ctx.repoOf.set(updated, repo);
      return { checkRun: updated, clientMutationId: input.clientMutationId ?? null };
    },

    mergePullRequest: (_s, { input }: Input, ctx) => {
      const pull = need<PullRequest>(ctx, input.pullRequestId, ["PullRequest"], "pull request");
      const repo = pull.issue.repo;
      requireWrite(ctx, repo, "write");
      ctx.world.mergePull(
        repo,
        pull,
        {
          sha: input.expectedHeadOid as string | undefined,
          method: METHOD[(input.mergeMethod as keyof typeof METHOD | undefined) ?? "MERGE"],
          commitTitle: input.commitHeadline as string | undefined,
          commitMessage: input.commitBody as string | undefined,
        },
        ctx.auth.actor,
      );
      return { pullRequest: pull, clientMutationId: input.clientMutationId ?? null };
    },

    enqueuePullRequest: (_s, { input }: Input, ctx) => {
      const pull = need<PullRequest>(ctx, input.pullRequestId, ["PullRequest"], "pull request");
      const repo = pull.issue.repo;
      requireWrite(ctx, repo, "write");
      const entry = ctx.world.enqueuePull(repo, pull, { expectedHeadOid: input.expectedHeadOid as string | undefined }, ctx.auth.actor);
      return { mergeQueueEntry: entry, clientMutationId: input.clientMutationId ?? null };
    },

    dequeuePullRequest: (_s, { input }: Input, ctx) => {
      const pull = need<PullRequest>(ctx, input.id, ["PullRequest"], "pull request");
      const repo = pull.issue.repo;
      requireWrite(ctx, repo, "write");
      const entry = ctx.world.mergeQueueEntryOf(repo, pull);
      ctx.world.dequeuePull(repo, pull, "MANUAL", ctx.auth.actor);
      return { mergeQueueEntry: entry, clientMutationId: input.clientMutationId ?? null };
    },

    enablePullRequestAutoMerge: (_s, { input }: Input, ctx) => {
      const pull = need<PullRequest>(ctx, input.pullRequestId, ["PullRequest"], "pull request");
      const repo = pull.issue.repo;
      requireWrite(ctx, repo, "write");
      if (!repo.allowAutoMerge) throw new GraphqlTypedError("UNPROCESSABLE", "Pull request Auto merge is not allowed for this repository");
      if (!repo.protections.has(pull.baseRef)) throw new GraphqlTypedError("UNPROCESSABLE", "Pull request Protected branch rules not configured for this branch");
      if (input.expectedHeadOid && input.expectedHeadOid !== pull.headSha) throw new GraphqlTypedError("UNPROCESSABLE", "Head branch was modified. Review and try the merge again.");
      if (pull.merged || pull.issue.state !== "open") throw new GraphqlTypedError("UNPROCESSABLE", "Pull request is closed");
      const state = ctx.world.mergeCheck(repo, pull).mergeableState;
      // GitHub refuses when nothing is pending: the caller should merge directly.
      if (state === "clean" || state === "unstable") throw new GraphqlTypedError("UNPROCESSABLE", `Pull request is in ${state} status`);
      pull.autoMerge = { method: METHOD[(input.mergeMethod as keyof typeof METHOD | undefined) ?? "MERGE"], enabledBy: ctx.auth.actor };
      return { pullRequest: pull, actor: ctx.auth.actor, clientMutationId: input.clientMutationId ?? null };
    },
  },
};

/** Turn the world's REST-shaped failures into GitHub GraphQL error types. */
export function errorType(error: unknown): string | undefined {
  if (error instanceof GraphqlTypedError) return error.type;
  if (error instanceof GitHubApiError) {
    if (error.status === 404) return "NOT_FOUND";
    if (error.status === 403) return "FORBIDDEN";
    return "UNPROCESSABLE";
  }
  return undefined;
}
