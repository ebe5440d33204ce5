/**
 * The emulator's world as plain data. REST routes, GraphQL resolvers, webhooks and actors
 * all read these objects directly; only `World` (state.ts and the parts mixed into it) mutates them, so GitHub's rules
 * live in one place. Objects reference each other directly (an issue holds its sub-issues),
 * which is what GraphQL resolvers want. Times are epoch milliseconds of the sandbox clock.
 */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read";

export interface User {
  id: number;
  nodeId: string;
  login: string;
  type: "User" | "Bot" | "Organization";
}

export interface App {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
  owner: User;
  /** The `<slug>[bot]` user that authors what the App writes. */
  botUser: User;
  privateKeyPem: string;
  publicKeyPem: string;
  /** Where this App's webhooks go, if anywhere. */
  webhookUrl: string | null;
  webhookSecret: string | null;
  permissions: Record<string, string>;
  events: string[];
  createdAt: number;
}

export interface Installation {
  id: number;
  nodeId: string;
  app: App;
  account: User;
  repositorySelection: "all" | "selected";
  repos: Repo[];
  createdAt: number;
}

export interface Label {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
  isDefault: boolean;
}

export interface Comment {
  id: number;
  nodeId: string;
  issueNumber: number;
  user: User;
  body: string;
  createdAt: number;
  updatedAt: number;
  /** Set when an App (not a user) wrote it. */
  viaApp: App | null;
}

export type IssueStateReason = "completed" | "not_planned" | "reopened" | "duplicate" | null;

export interface Issue {
  id: number;
  nodeId: string;
  number: number;
  repo: Repo;
  title: string;
  body: string;
  user: User;
  labels: Label[];
  assignees: User[];
  state: "open" | "closed";
  stateReason: IssueStateReason;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedBy: User | null;
  comments: Comment[];
  parent: Issue | null;
  /** In priority order, as GitHub lists them. */
  subIssues: Issue[];
  /** Issues that block this one (this issue is "blocked by" them). */
  blockedBy: Issue[];
  /** Issues this one blocks (inverse of blockedBy, kept in step). */
  blocking: Issue[];
  /** Set when this "issue" is the issue half of a pull request (they share the number sequence). */
  pull: PullRequest | null;
  locked: boolean;
  /**
   * Body edits, newest first, as GitHub's `userContentEdits` lists them; the first edit also
   * records the created version (`includesCreatedEdit`). Empty until the body is edited.
   * `lastEditedAt` and `editor` are the newest entry's (see sandbox/emulator/content-edits.ts).
   */
  bodyEdits: ContentEdit[];
  /** Title renames, oldest first (GraphQL `RenamedTitleEvent`; see sandbox/emulator/content-edits.ts). */
  titleRenames: TitleRenameEvent[];
}

/** One rename of an issue title: who renamed it, when, from and to what. */
export interface TitleRenameEvent {
  id: number;
  nodeId: string;
  at: number;
  actor: User;
  previousTitle: string;
  currentTitle: string;
}

/** One version of an issue body: who wrote it and when (GraphQL `UserContentEdit`). */
export interface ContentEdit {
  id: number;
  nodeId: string;
  editedAt: number;
  editor: User;
  /** The body as this edit left it. */
  body: string;
}

export interface CommitAuthor {
  name: string;
  email: string;
  date: number;
}

export interface Commit {
  sha: string;
  nodeId: string;
  message: string;
  author: CommitAuthor;
  /** The pushing user, when known (for `sender` and `pusher`). */
  committer: User | null;
  parents: string[];
  /** Full snapshot of the tree: path -> content. */
  files: Map<string, string>;
}

export interface BranchProtection {
  requiredStatusChecks: { strict: boolean; contexts: string[] } | null;
  requiredPullRequestReviews: {
    requiredApprovingReviewCount: number;
    dismissStaleReviews: boolean;
    requireCodeOwnerReviews: boolean;
    requireLastPushApproval: boolean;
  } | null;
  enforceAdmins: boolean;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  id: number;
  nodeId: string;
  user: User;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: number;
}

/**
 * An inline review comment. A comment without `inReplyTo` starts a review thread; replies
 * point at that first comment, as GitHub's REST `in_reply_to_id` does.
 */
export interface ReviewComment {
  id: number;
  nodeId: string;
  reviewId: number;
  user: User;
  path: string;
  line: number | null;
  body: string;
  inReplyTo: number | null;
  createdAt: number;
}

export interface PullRequest {
  id: number;
  nodeId: string;
  /** The issue half: number, title, body, labels, state and comments live there. */
  issue: Issue;
  headRef: string;
  /** Head sha, kept in step with the head branch. */
  headSha: string;
  baseRef: string;
  /** Base tip when the PR was opened or last synchronized (GitHub's `base.sha`). */
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: number | null;
  mergedBy: User | null;
  mergeCommitSha: string | null;
  reviews: Review[];
  /** Inline review comments, oldest first (optional: pulls built before they existed have none). */
  reviewComments?: ReviewComment[];
  /** First-comment ids of the review threads someone resolved. */
  resolvedThreads?: Set<number>;
  autoMerge: { method: "merge" | "squash" | "rebase"; enabledBy: User } | null;
  /** Times the PR left a merge queue without merging (GraphQL `RemovedFromMergeQueueEvent`). */
  queueRemovals: MergeQueueRemoval[];
}

export interface MergeQueueRemoval {
  id: number;
  nodeId: string;
  at: number;
  /** Why it left: `CI_FAILURE`, `MERGE_CONFLICT`, `MANUAL`, … */
  reason: string;
  /** The PR's head when it was removed. */
  beforeCommit: string;
  actor: User;
}

/** A repository ruleset (`POST /repos/{o}/{r}/rulesets`), branch rulesets only. */
export interface Ruleset {
  id: number;
  nodeId: string;
  name: string;
  target: "branch";
  enforcement: "active" | "disabled" | "evaluate";
  /** `ref_name.include` / `exclude`: `~DEFAULT_BRANCH`, `~ALL`, `refs/heads/<glob>`. */
  include: string[];
  exclude: string[];
  rules: RulesetRule[];
}

/** One rule of a ruleset: `required_status_checks`, `pull_request`, `merge_queue`, … with GitHub's parameters. */
export interface RulesetRule {
  type: string;
  parameters?: Record<string, unknown>;
}

/** A pull request waiting in (or being built by) a branch's merge queue. */
export interface MergeQueueEntry {
  id: number;
  nodeId: string;
  pull: PullRequest;
  baseRef: string;
  enqueuer: User;
  enqueuedAt: number;
  /** The merge group built for it: base (or the entry ahead) plus its head, on `gh-readonly-queue/…`. */
  group: { headSha: string; headRef: string; baseSha: string } | null;
}

export type CheckStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
export type CheckConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | "stale"
  | null;

export interface CheckSuite {
  id: number;
  nodeId: string;
  app: App;
  headSha: string;
  headBranch: string | null;
  status: CheckStatus;
  conclusion: CheckConclusion;
  createdAt: number;
  updatedAt: number;
}

export interface CheckRun {
  id: number;
  nodeId: string;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion: CheckConclusion;
  startedAt: number;
  completedAt: number | null;
  output: { title: string | null; summary: string | null; text: string | null };
  externalId: string | null;
  detailsUrl: string | null;
  app: App;
  suite: CheckSuite;
}

export interface WorkflowInputSpec {
  name: string;
  required: boolean;
  default: string | null;
}

export interface Workflow {
  id: number;
  nodeId: string;
  /** `.github/workflows/<file>` */
  path: string;
  name: string;
  state: "active" | "disabled_manually";
  createdAt: number;
}

export interface WorkflowRun {
  id: number;
  nodeId: string;
  workflow: Workflow;
  name: string;
  displayTitle: string;
  runNumber: number;
  runAttempt: number;
  event: string;
  status: "requested" | "queued" | "in_progress" | "completed" | "waiting" | "pending";
  conclusion: "success" | "failure" | "cancelled" | "skipped" | "timed_out" | "neutral" | "action_required" | null;
  headBranch: string;
  headSha: string;
  actor: User;
  inputs: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  runStartedAt: number;
  /** What the (scripted) run printed, as a real run's log would show it. */
  log?: string[];
}

export interface Repo {
  id: number;
  nodeId: string;
  owner: User;
  name: string;
  fullName: string;
  defaultBranch: string;
  visibility: "public" | "private" | "internal";
  allowAutoMerge: boolean;
  createdAt: number;
  /** login -> permission; the owner is implicitly admin. */
  collaborators: Map<string, Permission>;
  commits: Map<string, Commit>;
  /** branch name -> sha. Tags are not modelled. */
  branches: Map<string, string>;
  protections: Map<string, BranchProtection>;
  rulesets: Ruleset[];
  /** Merge queue entries of every branch, in queue order. */
  mergeQueue: MergeQueueEntry[];
  /** lower-cased name -> label. */
  labels: Map<string, Label>;
  /** Issues and the issue half of PRs, by number. */
  issues: Map<number, Issue>;
  pulls: Map<number, PullRequest>;
  nextNumber: number;
  checkRuns: CheckRun[];
  checkSuites: CheckSuite[];
  /** by path */
  workflows: Map<string, Workflow>;
  runs: Map<number, WorkflowRun>;
  nextRunNumber: number;
}

/** Bearer credentials the emulator accepts. */
export type TokenGrant =
  | { kind: "installation"; installation: Installation; expiresAt: number }
  | { kind: "user"; user: User };
