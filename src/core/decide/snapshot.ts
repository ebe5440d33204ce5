import type { Plan, PlanUsage } from "../plan/plan-schema.js";
import type { RunCost } from "../markers/markers.js";

/**
 * Everything `decide` may look at: facts read from GitHub for one milestone, as domain
 * types. Loaded fresh on every reconcile; never built from webhook payloads.
 * Times are epoch milliseconds.
 */
export interface Snapshot {
  repo: RepoFacts;
  milestone: IssueFacts;
  /** The milestone's control record (plan, approvals, pause, grants), from the bot's plan comment. */
  control: StoredRecord<MilestoneControl> | null;
  /** The bot's sticky status comment on the milestone (with its small record), if it exists. */
  status: StoredRecord<StatusRecord> | null;
  /** Sub-issues of the milestone that carry a task marker, in plan order when known. */
  tasks: TaskFacts[];
  /** Issue numbers in this repository, outside this milestone, labelled as running (repo-wide cap). */
  runningElsewhere: number;
  /** Labels that exist in the repository (name -> node id); creating issues with labels needs ids. */
  repoLabels: Record<string, string>;
  /** The App's bot login (`<slug>[bot]`); its own reviews and comments never count as human. */
  botLogin: string;
  /**
   * When the read of issues and PRs began (the app's clock). Runs are listed after it, so a
   * run that finished later may have pushed or opened a PR this read missed; unknown = trust the read.
   */
  observedAt?: number;
  /**
   * The runs came from the app's run ledger (webhooks since the last list), not from a list
   * just read. Decide does not care; the reconcile re-reads runs before acting on them.
   */
  runsFromLedger?: boolean;
}

export interface RepoFacts {
  owner: string;
  name: string;
  /** GraphQL node id of the repository. */
  nodeId: string;
  defaultBranch: string;
  defaultBranchSha: string;
  /** Protection of the default branch; null when it could not be read (reported, not assumed). */
  protection: BranchProtectionFacts | null;
}

export interface BranchProtectionFacts {
  enabled: boolean;
  requiredChecks: string[];
  requiredApprovals: number;
  /** Branches must be up to date with the base before merging (classic `strict` or the ruleset's policy). */
  strict?: boolean;
  /** A ruleset requires a merge queue: PRs are enqueued, never merged directly. */
  mergeQueue?: boolean;
  /** What protects the branch: classic branch protection, rulesets, or both. */
  sources?: ("classic" | "rulesets")[];
  /**
   * The App `architect/dag` is pinned to, per mechanism (`app_id` in classic protection,
   * `integration_id` in a ruleset); null when any source may report it.
   */
  dagCheckApp?: { classic?: number | null; rulesets?: number | null };
}

export interface IssueFacts {
  number: number;
  /** REST database id: sub-issue and blocked-by endpoints take this, not the number. */
  id: number;
  /** GraphQL node id. */
  nodeId: string;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  labels: string[];
  author: string;
  /**
   * The body's last edit (GraphQL `lastEditedAt`, `editor`): null when never edited. Read
   * for the milestone only (undefined elsewhere): planning trusts only text that someone
   * with write access wrote or last edited before the command.
   */
  lastEdit?: BodyEdit | null;
  /** The newest body edits (at most 10), newest first, to say who edited what. Milestone only. */
  bodyEdits?: BodyEdit[];
  /**
   * The newest title renames (GraphQL `RenamedTitleEvent`, at most 5), newest first: the
   * issue's author can rename it without write access. Milestone only.
   */
  titleRenames?: TitleRename[];
}

/** One rename of an issue title: who, when, and from what to what. */
export interface TitleRename extends BodyEdit {
  from: string;
  to: string;
}

/** One edit of an issue body: who made it (login, whether a bot) and when (epoch ms). */
export interface BodyEdit {
  by: string;
  byBot: boolean;
  at: number;
}

export interface CommentRef {
  id: number;
  nodeId: string;
  body: string;
}

/** A decoded marker record together with the comment that holds it. */
export interface StoredRecord<T> extends CommentRef {
  value: T;
}

/** The milestone's control record: written by commands, read by decide. */
export interface MilestoneControl {
  /** Stable id of the current plan (changes on replan). */
  planId: string;
  plan: Plan;
  /** Login that asked for the plan; their own approvals of task PRs do not count. */
  requestedBy: string;
  /** Login that approved the plan; null while approval is pending. */
  approvedBy: string | null;
  paused: boolean;
  /** Dollars of spend approved past the budget with `/architect approve`. */
  budgetApprovedUsd: number;
  usage: PlanUsage[];
  /** Extra attempts granted per task key by `/architect retry`. */
  retryGrants: Record<string, number>;
  /** Task keys removed by a replan; their open issues get closed as not planned. */
  removedKeys: string[];
  /** Comment ids of commands already handled (bounded), so a redelivered command is a no-op. */
  handledCommands: number[];
  /**
   * Hash of the milestone text (title and body) the plan and its preview were built from.
   * `/architect approve` approves only while the text still hashes the same.
   */
  sourceHash?: string;
}

/**
 * The record kept in the status comment's marker. The claim branch is the intent to run;
 * this remembers when each dispatch was made (or first seen), so a dispatch whose run never
 * appears is noticed after a grace period and sent again, once.
 */
export interface StatusRecord {
  /** By task issue number (as a string key): the run sequence number dispatched and when. */
  /** `resent` marks a dispatch already sent a second time (a lost dispatch is re-sent only once). */
  dispatches: Record<string, { seq: number; at: number; resent?: boolean }>;
}

/** The hidden marker in each task issue body. */
export interface TaskMarker {
  milestone: number;
  planId: string;
  key: string;
  dependsOn: string[];
  agent: string;
  scope: string[];
  estimate: number;
  /** Per-task gate overrides. */
  requiredApprovals?: number;
}

export interface TaskFacts {
  issue: IssueFacts;
  marker: TaskMarker;
  /** Issue numbers of the native "blocked by" links that exist. */
  blockedBy: number[];
  /** The claim branch `architect/<number>-<slug>`, if it exists. */
  branch: { name: string; sha: string } | null;
  /** The PR whose head is the claim branch (open, or the latest closed/merged one). */
  pull: PullFacts | null;
  /** Workflow runs correlated to this task by run key, oldest first. */
  runs: RunFacts[];
}

export type RunMode = "initial" | "retry" | "review";

/** Parsed from a run's `display_title`: `architect <milestone>/<task>/<seq>/<mode>`. */
export interface RunKey {
  milestone: number;
  task: number;
  seq: number;
  mode: RunMode;
}

export interface RunFacts {
  id: number;
  key: RunKey;
  status: "requested" | "queued" | "pending" | "waiting" | "in_progress" | "completed";
  conclusion: "success" | "failure" | "cancelled" | "timed_out" | "skipped" | "neutral" | "action_required" | "stale" | "startup_failure" | null;
  createdAt: number;
  updatedAt: number;
  url: string;
}

export interface CheckFacts {
  /** GraphQL node id of the check run (null for legacy commit statuses). */
  nodeId: string | null;
  name: string;
  /** Output title (for `architect/dag`, compared to avoid rewriting an unchanged check). */
  title: string;
  status: "queued" | "in_progress" | "completed" | "pending" | "requested" | "waiting";
  conclusion: "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required" | "stale" | "startup_failure" | null;
  /** Required by branch protection for this PR. */
  isRequired: boolean;
  /** Login/slug of the app that reported it (a same-named check from another source is not trusted). */
  appSlug: string | null;
  /** Short failure summary (check output title/summary), fed back to the agent on retry. */
  summary: string;
}

export interface ReviewFacts {
  /** The review's REST id (GraphQL `databaseId`); a review run is dispatched for exactly this review. */
  id: number;
  author: string;
  authorIsBot: boolean;
  /** The reviewer can push to the repository (write access). */
  authorCanWrite: boolean;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commitSha: string;
  submittedAt: number;
}

export interface PullFacts {
  number: number;
  nodeId: string;
  state: "open" | "closed" | "merged";
  headRef: string;
  headSha: string;
  baseRef: string;
  author: string;
  isDraft: boolean;
  mergeable: "MERGEABLE" | "CONFLICTING" | "UNKNOWN";
  autoMergeEnabled: boolean;
  checks: CheckFacts[];
  reviews: ReviewFacts[];
  createdAt: number;
  /** What each agent run that published to this PR cost (from the body's run marker). */
  costs?: RunCost[];
  /** In the base branch's merge queue: the merge group's head (null while not built) and the checks on it. */
  mergeQueue?: { groupHeadSha: string | null; checks: CheckFacts[] } | null;
  /** Times it left the merge queue without merging, oldest first (`headSha`: its head then). */
  queueRemovals?: { reason: string; headSha: string; at: number }[];
}
