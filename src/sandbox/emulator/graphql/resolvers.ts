import type { CheckRun, Comment, ContentEdit, Issue, TitleRenameEvent, Label, MergeQueueEntry, MergeQueueRemoval, PullRequest, Repo, Review, ReviewComment, User } from "../model.js";
import { lastEditedAt, lastEditor } from "../content-edits.js";
import {
  BlobView,
  CommitView,
  GraphqlTypedError,
  RefView,
  TreeEntryView,
  TreeView,
  connection,
  fakeOid,
  iso,
  type ResolverContext,
  type ResolverMap,
} from "./views.js";

/**
 * Field resolvers for the read side of GitHub's schema, over the emulator's world.
 * Only fields listed here resolve; any other field of these types is an error naming it
 * (see handler.ts), so a query that drifts from what the sandbox models fails loudly.
 */

/** What a token may see: its installation's repositories, or public/collaborator ones for users. */
export function canSee(ctx: ResolverContext, repo: Repo): boolean {
  const grant = ctx.auth.grant;
  if (grant.kind === "installation") return grant.installation.repos.includes(repo);
  return repo.visibility === "public" || ctx.world.permissionOf(repo, grant.user.login) !== "none";
}

/** Node ids resolve only to objects the caller can see. */
export function nodeById(ctx: ResolverContext, id: string): unknown {
  const found = ctx.world.lookupNode(id);
  if (!found) return null;
  const repo = repoOfNode(found.ref as object, ctx);
  if (repo && !canSee(ctx, repo)) return null;
  return found.ref;
}

function repoOfNode(ref: object, ctx: ResolverContext): Repo | null {
  if ("fullName" in ref && "branches" in ref) return ref as Repo;
  if ("subIssues" in ref && "repo" in ref) return (ref as Issue).repo;
  if ("headRef" in ref && "issue" in ref) return (ref as PullRequest).issue.repo;
  return ctx.repoOf.get(ref) ?? null;
}

const login = (user: User | null) => (user ? (user.type === "Bot" ? user.login.replace(/\[bot\]$/, "") : user.login) : null);

function issueState(issue: Issue) {
  return issue.state === "open" ? "OPEN" : "CLOSED";
}

function pullState(pull: PullRequest) {
  return pull.merged ? "MERGED" : pull.issue.state === "open" ? "OPEN" : "CLOSED";
}

/** `rev:path` (rev = HEAD, a branch or a sha) → Tree, Blob or Commit. */
function gitObject(ctx: ResolverContext, repo: Repo, expression: string): unknown {
  const colon = expression.indexOf(":");
  const rev = colon === -1 ? expression : expression.slice(0, colon);
  const sha = ctx.world.resolveRef(repo, rev === "HEAD" ? repo.defaultBranch : rev);
  const commit = sha ? repo.commits.get(sha) : undefined;
  if (!commit) return null;
  if (colon === -1) return new CommitView(repo, commit);
  const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, "");
  const file = commit.files.get(path);
  if (file !== undefined) return new BlobView(path, file);
  const isDir = path === "" || [...commit.files.keys()].some((p) => p.startsWith(`${path}/`));
  return isDir ? new TreeView(repo, commit, path) : null;
}

function treeEntries(tree: TreeView): TreeEntryView[] {
  const prefix = tree.path ? `${tree.path}/` : "";
  const entries = new Map<string, "blob" | "tree">();
  for (const path of tree.commit.files.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) entries.set(rest, "blob");
    else entries.set(rest.slice(0, slash), "tree");
  }
  // Git lists entries by name.
  return [...entries].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => new TreeEntryView(tree, name, type));
}

/** `repo:o/r is:open is:issue label:"x"` over the world's issues (the qualifiers Architect uses). */
function searchIssues(ctx: ResolverContext, query: string): Issue[] {
  const tokens = [...query.matchAll(/(\w+):("[^"]*"|\S+)|("[^"]*"|\S+)/g)];
  let repos = [...ctx.world.repos.values()].filter((r) => canSee(ctx, r));
  const filters: ((i: Issue) => boolean)[] = [];
  for (const [, key, rawValue, free] of tokens) {
    const value = (rawValue ?? "").replace(/^"|"$/g, "");
    if (free !== undefined) throw new GraphqlTypedError("INVALID", `The sandbox search supports qualifiers only, not free text (${free})`);
    if (key === "repo") repos = repos.filter((r) => r.fullName.toLowerCase() === value.toLowerCase());
    else if (key === "is" && (value === "open" || value === "closed")) filters.push((i) => i.state === value);
    else if (key === "is" && value === "issue") filters.push((i) => !i.pull);
    else if (key === "is" && (value === "pr" || value === "pull-request")) filters.push((i) => !!i.pull);
    else if (key === "label") filters.push((i) => i.labels.some((l) => l.name.toLowerCase() === value.toLowerCase()));
    else throw new GraphqlTypedError("INVALID", `The sandbox search does not support the qualifier ${key}:${value}`);
  }
  return repos.flatMap((r) => [...r.issues.values()]).filter((i) => filters.every((f) => f(i)));
}

function latestRuns(ctx: ResolverContext, repo: Repo, sha: string): CheckRun[] {
  const runs = ctx.world.latestCheckRunsFor(repo, sha).sort((a, b) => a.id - b.id);
  for (const run of runs) ctx.repoOf.set(run, repo);
  return runs;
}

export const queryResolvers: ResolverMap = {
  Query: {
    repository: (_s, args: { owner: string; name: string }, ctx) => {
      const repo = ctx.world.getRepo(args.owner, args.name);
      if (!repo || !canSee(ctx, repo)) {
        throw new GraphqlTypedError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      }
      return repo;
    },
    node: (_s, args: { id: string }, ctx) => nodeById(ctx, args.id),
    nodes: (_s, args: { ids: string[] }, ctx) => args.ids.map((id) => nodeById(ctx, id)),
    viewer: (_s, _a, ctx) => ctx.auth.actor,
    search: (_s, args: { query: string; type: string }, ctx, info) => {
      if (args.type !== "ISSUE") throw new GraphqlTypedError("INVALID", `The sandbox search supports type ISSUE only`);
      const found = searchIssues(ctx, args.query);
      return connection(found, args, info, { issueCount: found.length, codeCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0, discussionCount: 0 });
    },
    rateLimit: (_s, _a, ctx) => ({ cost: 1, limit: 5000, remaining: 4999, used: 1, nodeCount: 0, resetAt: iso(ctx.world.clock.now() + 3_600_000) }),
  },

  Repository: {
    id: (r: Repo) => r.nodeId,
    databaseId: (r: Repo) => r.id,
    name: (r: Repo) => r.name,
    nameWithOwner: (r: Repo) => r.fullName,
    owner: (r: Repo) => r.owner,
    url: (r: Repo, _a, ctx) => `${ctx.world.htmlUrl}/${r.fullName}`,
    isPrivate: (r: Repo) => r.visibility !== "public",
    autoMergeAllowed: (r: Repo) => r.allowAutoMerge,
    defaultBranchRef: (r: Repo) => (r.branches.has(r.defaultBranch) ? new RefView(r, r.defaultBranch, r.defaultBranch, "refs/heads/") : null),
    labels: (r: Repo, args, _ctx, info) => {
      const query = (args.query as string | undefined)?.toLowerCase();
      const labels = [...r.labels.values()].filter((l) => !query || l.name.toLowerCase().includes(query));
      return connection(labels, args, info);
    },
    label: (r: Repo, args: { name: string }) => r.labels.get(args.name.toLowerCase()) ?? null,
    issueOrPullRequest: (r: Repo, args: { number: number }) => {
      const issue = r.issues.get(args.number);
      if (!issue) throw new GraphqlTypedError("NOT_FOUND", `Could not resolve to an issue or pull request with the number of ${args.number}.`);
      return issue.pull ?? issue;
    },
    issue: (r: Repo, args: { number: number }) => {
      const issue = r.issues.get(args.number);
      if (!issue || issue.pull) throw new GraphqlTypedError("NOT_FOUND", `Could not resolve to an Issue with the number of ${args.number}.`);
      return issue;
    },
    pullRequest: (r: Repo, args: { number: number }) => {
      const pull = r.pulls.get(args.number);
      if (!pull) throw new GraphqlTypedError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${args.number}.`);
      return pull;
    },
    issues: (r: Repo, args: { states?: string[]; labels?: string[] }, _ctx, info) => {
      const states = args.states?.map((s) => s.toLowerCase());
      const labels = args.labels?.map((l) => l.toLowerCase());
      const issues = [...r.issues.values()]
        .filter((i) => !i.pull)
        .filter((i) => !states || states.includes(i.state))
        .filter((i) => !labels || i.labels.some((l) => labels.includes(l.name.toLowerCase())))
        .sort((a, b) => a.number - b.number);
      return connection(issues, args, info);
    },
    refs: (r: Repo, args: { refPrefix: string; query?: string; direction?: string }, _ctx, info) => {
      if (!args.refPrefix.startsWith("refs/heads/")) return connection([], args, info);
      const inside = args.refPrefix.slice("refs/heads/".length);
      const refs = [...r.branches.keys()]
        .filter((b) => b.startsWith(inside) && b.length > inside.length)
        .filter((b) => !args.query || b.includes(args.query))
        .sort()
        .map((b) => new RefView(r, b, b.slice(inside.length), args.refPrefix));
      if (args.direction === "DESC") refs.reverse();
      return connection(refs, args, info);
    },
    ref: (r: Repo, args: { qualifiedName: string }) => {
      const branch = args.qualifiedName.replace(/^refs\/heads\//, "");
      return r.branches.has(branch) ? new RefView(r, branch, branch, "refs/heads/") : null;
    },
    object: (r: Repo, args: { expression?: string; oid?: string }, ctx) => gitObject(ctx, r, args.expression ?? args.oid ?? ""),
  },

  Ref: {
    id: (ref: RefView, _a, ctx) => ctx.world.ids.nodeId("Ref", `${ref.repo.id}:${ref.branch}`),
    name: (ref: RefView) => ref.name,
    prefix: (ref: RefView) => ref.prefix,
    repository: (ref: RefView) => ref.repo,
    target: (ref: RefView) => {
      const sha = ref.repo.branches.get(ref.branch);
      const commit = sha ? ref.repo.commits.get(sha) : undefined;
      return commit ? new CommitView(ref.repo, commit) : null;
    },
    associatedPullRequests: (ref: RefView, args: { states?: string[]; orderBy?: { field: string; direction: string } }, _ctx, info) => {
      let pulls = [...ref.repo.pulls.values()].filter((p) => p.headRef === ref.branch);
      if (args.states) pulls = pulls.filter((p) => args.states!.includes(pullState(p)));
      pulls.sort((a, b) => a.issue.createdAt - b.issue.createdAt || a.issue.number - b.issue.number);
      if (args.orderBy?.direction === "DESC") pulls.reverse();
      return connection(pulls, args, info);
    },
  },

  Commit: {
    id: (c: CommitView) => c.commit.nodeId,
    oid: (c: CommitView) => c.commit.sha,
    abbreviatedOid: (c: CommitView) => c.commit.sha.slice(0, 7),
    message: (c: CommitView) => c.commit.message,
    messageHeadline: (c: CommitView) => c.commit.message.split("\n")[0],
    committedDate: (c: CommitView) => iso(c.commit.author.date),
    tree: (c: CommitView) => new TreeView(c.repo, c.commit, ""),
    repository: (c: CommitView) => c.repo,
    statusCheckRollup: (c: CommitView, _a, ctx) => (latestRuns(ctx, c.repo, c.commit.sha).length > 0 ? c : null),
  },

  StatusCheckRollup: {
    id: (c: CommitView, _a, ctx) => ctx.world.ids.nodeId("Commit", `rollup:${c.commit.sha}`),
    commit: (c: CommitView) => c,
    state: (c: CommitView, _a, ctx) => {
      const runs = latestRuns(ctx, c.repo, c.commit.sha);
      if (runs.some((r) => r.status === "completed" && ["failure", "timed_out", "cancelled", "action_required", "stale"].includes(r.conclusion ?? ""))) return "FAILURE";
      if (runs.some((r) => r.status !== "completed")) return "PENDING";
      return "SUCCESS";
    },
    contexts: (c: CommitView, args, ctx, info) => connection(latestRuns(ctx, c.repo, c.commit.sha), args, info),
  },

  CheckRun: {
    id: (r: CheckRun) => r.nodeId,
    databaseId: (r: CheckRun) => r.id,
    name: (r: CheckRun) => r.name,
    status: (r: CheckRun) => r.status.toUpperCase(),
    conclusion: (r: CheckRun) => r.conclusion?.toUpperCase() ?? null,
    title: (r: CheckRun) => r.output.title,
    summary: (r: CheckRun) => r.output.summary,
    text: (r: CheckRun) => r.output.text,
    detailsUrl: (r: CheckRun) => r.detailsUrl,
    startedAt: (r: CheckRun) => iso(r.startedAt),
    completedAt: (r: CheckRun) => iso(r.completedAt),
    checkSuite: (r: CheckRun, _a, ctx) => {
      const repo = ctx.repoOf.get(r);
      if (repo) ctx.repoOf.set(r.suite, repo);
      return r.suite;
    },
    isRequired: (r: CheckRun, args: { pullRequestNumber?: number; pullRequestId?: string }, ctx) => {
      const repo = ctx.repoOf.get(r);
      if (!repo) throw new Error("CheckRun.isRequired: repository unknown here");
      const pull = args.pullRequestNumber !== undefined ? repo.pulls.get(args.pullRequestNumber) : (nodeById(ctx, args.pullRequestId ?? "") as PullRequest | null);
      if (!pull) throw new GraphqlTypedError("NOT_FOUND", "Could not resolve the pull request for isRequired");
      return ctx.world.branchRequirements(repo, pull.baseRef).requiredChecks.includes(r.name);
    },
  },

  CheckSuite: {
    id: (s: CheckRun["suite"]) => s.nodeId,
    databaseId: (s: CheckRun["suite"]) => s.id,
    app: (s: CheckRun["suite"]) => s.app,
    status: (s: CheckRun["suite"]) => s.status.toUpperCase(),
    conclusion: (s: CheckRun["suite"]) => s.conclusion?.toUpperCase() ?? null,
  },

  App: {
    id: (a: { nodeId: string }) => a.nodeId,
    databaseId: (a: { id: number }) => a.id,
    slug: (a: { slug: string }) => a.slug,
    name: (a: { name: string }) => a.name,
  },

  Tree: {
    id: (t: TreeView, _a, ctx) => ctx.world.ids.nodeId("Commit", `tree:${t.commit.sha}:${t.path}`),
    oid: (t: TreeView) => fakeOid("tree", t.commit.sha, t.path),
    entries: (t: TreeView) => treeEntries(t),
  },

  TreeEntry: {
    name: (e: TreeEntryView) => e.name,
    path: (e: TreeEntryView) => e.path,
    type: (e: TreeEntryView) => e.type,
    mode: (e: TreeEntryView) => (e.type === "tree" ? 16384 : 33188),
    oid: (e: TreeEntryView) => fakeOid(e.type, e.tree.commit.sha, e.path),
    object: (e: TreeEntryView) =>
      e.type === "tree" ? new TreeView(e.tree.repo, e.tree.commit, e.path) : new BlobView(e.path, e.tree.commit.files.get(e.path) ?? ""),
  },

  Blob: {
    id: (b: BlobView, _a, ctx) => ctx.world.ids.nodeId("Commit", `blob:${b.path}:${fakeOid(b.text)}`),
    oid: (b: BlobView) => fakeOid("blob", b.text),
    text: (b: BlobView) => b.text,
    byteSize: (b: BlobView) => Buffer.byteLength(b.text),
    isBinary: () => false,
    isTruncated: () => false,
  },

  Issue: {
    id: (i: Issue) => i.nodeId,
    databaseId: (i: Issue) => i.id,
    number: (i: Issue) => i.number,
    title: (i: Issue) => i.title,
    body: (i: Issue) => i.body,
    state: (i: Issue) => issueState(i),
    stateReason: (i: Issue) => i.stateReason?.toUpperCase() ?? null,
    closed: (i: Issue) => i.state === "closed",
    createdAt: (i: Issue) => iso(i.createdAt),
    updatedAt: (i: Issue) => iso(i.updatedAt),
    closedAt: (i: Issue) => iso(i.closedAt),
    url: (i: Issue, _a, ctx) => `${ctx.world.htmlUrl}/${i.repo.fullName}/issues/${i.number}`,
    author: (i: Issue) => i.user,
    repository: (i: Issue) => i.repo,
    labels: (i: Issue, args, _ctx, info) => connection(i.labels, args, info),
    assignees: (i: Issue, args, _ctx, info) => connection(i.assignees, args, info),
    comments: (i: Issue, args, _ctx, info) => connection(i.comments, args, info),
    subIssues: (i: Issue, args, _ctx, info) => connection(i.subIssues, args, info),
    subIssuesSummary: (i: Issue) => {
      const completed = i.subIssues.filter((s) => s.state === "closed").length;
      const total = i.subIssues.length;
      return { total, completed, percentCompleted: total === 0 ? 0 : Math.round((completed / total) * 100) };
    },
    parent: (i: Issue) => i.parent,
    blockedBy: (i: Issue, args, _ctx, info) => connection(i.blockedBy, args, info),
    blocking: (i: Issue, args, _ctx, info) => connection(i.blocking, args, info),
    // Body edits: see sandbox/emulator/content-edits.ts for what GitHub records.
    lastEditedAt: (i: Issue) => iso(lastEditedAt(i)),
    editor: (i: Issue) => lastEditor(i),
    includesCreatedEdit: (i: Issue) => i.bodyEdits.length > 0,
    userContentEdits: (i: Issue, args, _ctx, info) => connection(i.bodyEdits, args, info),
    // Only title renames are modelled on issues; asking for other item types is refused.
    timelineItems: (i: Issue, args: { itemTypes?: string[] }, _ctx, info) => {
      const types = args.itemTypes ?? [];
      if (types.length === 0 || types.some((t) => t !== "RENAMED_TITLE_EVENT")) {
        throw new GraphqlTypedError("NOT_IMPLEMENTED", "The sandbox models only RENAMED_TITLE_EVENT timeline items on issues");
      }
      return connection(i.titleRenames.map((r) => ({ __typename: "RenamedTitleEvent", rename: r, issue: i })), args, info);
    },
  },

  RenamedTitleEvent: {
    id: (v: { rename: TitleRenameEvent }) => v.rename.nodeId,
    createdAt: (v: { rename: TitleRenameEvent }) => iso(v.rename.at),
    actor: (v: { rename: TitleRenameEvent }) => v.rename.actor,
    previousTitle: (v: { rename: TitleRenameEvent }) => v.rename.previousTitle,
    currentTitle: (v: { rename: TitleRenameEvent }) => v.rename.currentTitle,
    subject: (v: { issue: Issue }) => v.issue,
  },

  UserContentEdit: {
    id: (e: ContentEdit) => e.nodeId,
    editedAt: (e: ContentEdit) => iso(e.editedAt),
    createdAt: (e: ContentEdit) => iso(e.editedAt),
    updatedAt: (e: ContentEdit) => iso(e.editedAt),
    editor: (e: ContentEdit) => e.editor,
    diff: (e: ContentEdit) => e.body,
    deletedAt: () => null,
    deletedBy: () => null,
  },

  PullRequest: {
    id: (p: PullRequest) => p.nodeId,
    databaseId: (p: PullRequest) => p.id,
    number: (p: PullRequest) => p.issue.number,
    title: (p: PullRequest) => p.issue.title,
    body: (p: PullRequest) => p.issue.body,
    state: (p: PullRequest) => pullState(p),
    closed: (p: PullRequest) => p.issue.state === "closed",
    merged: (p: PullRequest) => p.merged,
    mergedAt: (p: PullRequest) => iso(p.mergedAt),
    mergeCommit: (p: PullRequest) => {
      const commit = p.mergeCommitSha ? p.issue.repo.commits.get(p.mergeCommitSha) : undefined;
      return commit ? new CommitView(p.issue.repo, commit) : null;
    },
    isDraft: (p: PullRequest) => p.draft,
    createdAt: (p: PullRequest) => iso(p.issue.createdAt),
    updatedAt: (p: PullRequest) => iso(p.issue.updatedAt),
    url: (p: PullRequest, _a, ctx) => `${ctx.world.htmlUrl}/${p.issue.repo.fullName}/pull/${p.issue.number}`,
    author: (p: PullRequest) => p.issue.user,
    repository: (p: PullRequest) => p.issue.repo,
    headRefName: (p: PullRequest) => p.headRef,
    headRefOid: (p: PullRequest) => p.headSha,
    baseRefName: (p: PullRequest) => p.baseRef,
    baseRefOid: (p: PullRequest) => p.issue.repo.branches.get(p.baseRef) ?? p.baseSha,
    headRef: (p: PullRequest) => (p.issue.repo.branches.has(p.headRef) ? new RefView(p.issue.repo, p.headRef, p.headRef, "refs/heads/") : null),
    baseRef: (p: PullRequest) => (p.issue.repo.branches.has(p.baseRef) ? new RefView(p.issue.repo, p.baseRef, p.baseRef, "refs/heads/") : null),
    mergeable: (p: PullRequest, _a, ctx) => {
      if (p.merged || p.issue.state !== "open") return "UNKNOWN";
      return ctx.world.mergeCheck(p.issue.repo, p).conflicts.length > 0 ? "CONFLICTING" : "MERGEABLE";
    },
    mergeStateStatus: (p: PullRequest, _a, ctx) => ctx.world.mergeCheck(p.issue.repo, p).mergeableState.toUpperCase(),
    autoMergeRequest: (p: PullRequest) =>
      p.autoMerge ? { enabledAt: null, enabledBy: p.autoMerge.enabledBy, mergeMethod: p.autoMerge.method.toUpperCase(), pullRequest: p } : null,
    labels: (p: PullRequest, args, _ctx, info) => connection(p.issue.labels, args, info),
    comments: (p: PullRequest, args, _ctx, info) => connection(p.issue.comments, args, info),
    // Review threads with isResolved; a thread is a first comment and its replies (GraphQL
    // PullRequest.reviewThreads in GitHub's schema, @octokit/graphql-schema). The agent runner
    // feeds a review run only the comments of unresolved threads.
    reviewThreads: (p: PullRequest, args, ctx, info) => {
      const comments = p.reviewComments ?? [];
      const threads = comments
        .filter((c) => c.inReplyTo === null)
        .map((first) => ({
          id: ctx.world.ids.nodeId("PullRequestReviewThread", first.id),
          isResolved: p.resolvedThreads?.has(first.id) ?? false,
          path: first.path,
          line: first.line,
          comments: comments.filter((c) => c.id === first.id || c.inReplyTo === first.id),
        }));
      return connection(threads, args, info);
    },
    reviews: (p: PullRequest, args: { states?: string[] }, ctx, info) => {
      const reviews = p.reviews.filter((r) => !args.states || args.states.includes(r.state));
      for (const review of reviews) ctx.repoOf.set(review, p.issue.repo);
      return connection(reviews, args, info);
    },
    isInMergeQueue: (p: PullRequest, _a, ctx) => ctx.world.mergeQueueEntryOf(p.issue.repo, p) !== null,
    mergeQueueEntry: (p: PullRequest, _a, ctx) => ctx.world.mergeQueueEntryOf(p.issue.repo, p),
    // Only the merge-queue removals are modelled; asking for other item types is refused.
    timelineItems: (p: PullRequest, args: { itemTypes?: string[] }, _ctx, info) => {
      const types = args.itemTypes ?? [];
      if (types.length === 0 || types.some((t) => t !== "REMOVED_FROM_MERGE_QUEUE_EVENT")) {
        throw new GraphqlTypedError("NOT_IMPLEMENTED", "The sandbox models only REMOVED_FROM_MERGE_QUEUE_EVENT timeline items");
      }
      return connection(p.queueRemovals.map((r) => ({ __typename: "RemovedFromMergeQueueEvent", removal: r, pull: p })), args, info);
    },
    commits: (p: PullRequest, args, _ctx, info) => {
      // The PR's commits: head back to (not including) the merge base with its base branch.
      const repo = p.issue.repo;
      const commits = [];
      const baseTip = repo.branches.get(p.baseRef) ?? p.baseSha;
      const stop = new Set<string>();
      for (let sha: string | undefined = baseTip; sha; sha = repo.commits.get(sha)?.parents[0]) stop.add(sha);
      for (let sha: string | undefined = p.headSha; sha && !stop.has(sha); sha = repo.commits.get(sha)?.parents[0]) {
        const commit = repo.commits.get(sha);
        if (!commit) break;
        commits.unshift({ id: `PRC_${p.id}_${sha}`, commit: new CommitView(repo, commit), pullRequest: p, url: "" });
      }
      return connection(commits, args, info);
    },
  },

  MergeQueueEntry: {
    id: (e: MergeQueueEntry) => e.nodeId,
    enqueuedAt: (e: MergeQueueEntry) => iso(e.enqueuedAt),
    enqueuer: (e: MergeQueueEntry) => e.enqueuer,
    headCommit: (e: MergeQueueEntry) => {
      const commit = e.group ? e.pull.issue.repo.commits.get(e.group.headSha) : undefined;
      return commit ? new CommitView(e.pull.issue.repo, commit) : null;
    },
    baseCommit: (e: MergeQueueEntry) => {
      const commit = e.group ? e.pull.issue.repo.commits.get(e.group.baseSha) : undefined;
      return commit ? new CommitView(e.pull.issue.repo, commit) : null;
    },
    jump: () => false,
    solo: () => true,
    position: (e: MergeQueueEntry, _a, ctx) => ctx.world.mergeQueuePosition(e.pull.issue.repo, e),
    pullRequest: (e: MergeQueueEntry) => e.pull,
    state: (e: MergeQueueEntry) => (e.group ? "AWAITING_CHECKS" : "QUEUED"),
  },

  RemovedFromMergeQueueEvent: {
    id: (v: { removal: MergeQueueRemoval }) => v.removal.nodeId,
    createdAt: (v: { removal: MergeQueueRemoval }) => iso(v.removal.at),
    reason: (v: { removal: MergeQueueRemoval }) => v.removal.reason,
    actor: (v: { removal: MergeQueueRemoval }) => v.removal.actor,
    pullRequest: (v: { pull: PullRequest }) => v.pull,
    beforeCommit: (v: { removal: MergeQueueRemoval; pull: PullRequest }) => {
      const commit = v.pull.issue.repo.commits.get(v.removal.beforeCommit);
      return commit ? new CommitView(v.pull.issue.repo, commit) : null;
    },
  },

  PullRequestReview: {
    id: (r: Review) => r.nodeId,
    databaseId: (r: Review) => r.id,
    author: (r: Review) => r.user,
    body: (r: Review) => r.body,
    state: (r: Review) => r.state,
    submittedAt: (r: Review) => (r.state === "PENDING" ? null : iso(r.submittedAt)),
    createdAt: (r: Review) => iso(r.submittedAt),
    authorCanPushToRepository: (r: Review, _a, ctx) => {
      const repo = ctx.repoOf.get(r);
      return repo ? ctx.world.hasPermission(repo, r.user.login, "write") : false;
    },
    commit: (r: Review, _a, ctx) => {
      const repo = ctx.repoOf.get(r);
      const commit = repo?.commits.get(r.commitId);
      return repo && commit ? new CommitView(repo, commit) : null;
    },
  },

  PullRequestReviewThread: {
    id: (t: { id: string }) => t.id,
    isResolved: (t: { isResolved: boolean }) => t.isResolved,
    path: (t: { path: string }) => t.path,
    line: (t: { line: number | null }) => t.line,
    comments: (t: { comments: ReviewComment[] }, args, _ctx, info) => connection(t.comments, args, info),
  },

  PullRequestReviewComment: {
    id: (c: ReviewComment) => c.nodeId,
    databaseId: (c: ReviewComment) => c.id,
    body: (c: ReviewComment) => c.body,
    path: (c: ReviewComment) => c.path,
    line: (c: ReviewComment) => c.line,
    author: (c: ReviewComment) => c.user,
    createdAt: (c: ReviewComment) => iso(c.createdAt),
  },

  IssueComment: {
    id: (c: Comment) => c.nodeId,
    databaseId: (c: Comment) => c.id,
    body: (c: Comment) => c.body,
    author: (c: Comment) => c.user,
    createdAt: (c: Comment) => iso(c.createdAt),
    updatedAt: (c: Comment) => iso(c.updatedAt),
    lastEditedAt: (c: Comment) => (c.updatedAt !== c.createdAt ? iso(c.updatedAt) : null),
  },

  Label: {
    id: (l: Label) => l.nodeId,
    name: (l: Label) => l.name,
    color: (l: Label) => l.color,
    description: (l: Label) => l.description,
    isDefault: (l: Label) => l.isDefault,
  },

  User: actorResolvers(),
  Bot: actorResolvers(),
  Organization: actorResolvers(),
};

/** GraphQL shows a bot's login without `[bot]`; REST and webhooks keep it. */
function actorResolvers() {
  return {
    id: (u: User) => u.nodeId,
    databaseId: (u: User) => u.id,
    login: (u: User) => login(u),
    url: (u: User, _a: unknown, ctx: ResolverContext) => `${ctx.world.htmlUrl}/${login(u)}`,
  };
}
