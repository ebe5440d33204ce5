import type {
  BranchProtectionFacts,
  CommentRef,
  IssueFacts,
  Snapshot,
} from "../core/decide/snapshot.js";
import type { LabelSpec } from "../core/decide/effects.js";

/**
 * The one door to GitHub. Domain types in, domain types out; no Octokit type crosses it.
 * One instance is bound to one installation and one repository.
 *
 * Writes are idempotent by construction or by contract:
 * - creates report what already existed instead of duplicating it (a claim branch's
 *   `createRef` op fails with "already exists": the branch is the lock);
 * - callers only ask for a write after comparing with a fresh snapshot;
 * - a write that fails ambiguously (timeout, 5xx) is never retried blindly: it throws
 *   `AmbiguousWriteError` and the next reconcile re-reads and decides again.
 */
export interface GitHubGateway {
  readonly owner: string;
  readonly repo: string;

  /**
   * Everything decide needs for one milestone, in as few requests as possible
   * (one GraphQL query; the workflow runs, when some task is claimed, from the run ledger
   * while it is fresh, else from one REST list). `freshRuns` skips the ledger.
   * Returns null when the issue does not exist or is a pull request.
   */
  loadSnapshot(milestone: number, options: { botLogin: string; includeRuns: "auto" | "always"; freshRuns?: boolean }): Promise<Snapshot | null>;

  /**
   * A command's thread in the one snapshot read: the issue, its comments (the first 10 and
   * the last 100, oldest first) and the snapshot of it as a milestone (meaningless when the
   * issue is a task; the caller then loads its milestone). Null when it is not an issue.
   */
  loadThread(issue: number, options: { botLogin: string }): Promise<{ issue: IssueFacts; comments: CommentFacts[]; snapshot: Snapshot } | null>;

  /** Open issues labelled `architect:milestone` (MILESTONE_LABEL): what the startup sweep reconciles. */
  listOpenMilestones(): Promise<number[]>;

  /** The milestone a task issue belongs to (its parent), or null. */
  findParent(issue: number): Promise<number | null>;

  /** An issue with its comments (oldest first), for planning input and command bookkeeping. */
  getIssueWithComments(issue: number): Promise<{ issue: IssueFacts; comments: CommentFacts[] } | null>;

  /** The caller's permission on this repository; "none" for unknown users. Throws on lookup errors (fail closed). */
  getPermission(login: string): Promise<Permission>;

  /** A file's text on the default branch, or null when absent. */
  readFile(path: string): Promise<string | null>;

  /** Repository context for planners: top-level file tree (paths), README head, label names. */
  getRepoContext(): Promise<RepoContext>;

  getBranchProtection(branch: string): Promise<BranchProtectionFacts | null>;

  // ---- writes ----

  /** One GraphQL mutation for all of them; labels that exist already are no error. The new labels' node ids by name. */
  createLabels(labels: LabelSpec[]): Promise<Record<string, string>>;

  /** Create sub-issues of `parent` with labels, batched into as few GraphQL requests as possible. */
  createSubIssues(parent: { nodeId: string }, repoNodeId: string, issues: NewSubIssue[]): Promise<CreatedIssue[]>;

  /** Blocked-by links, label changes, issue edits, closes, check runs, merges, comments and claim branches in one GraphQL mutation where possible. */
  applyBatch(ops: BatchOp[]): Promise<BatchResult[]>;

  /** POST /merges: merge branch `head` into branch `base` (stacked claims with `advance_on: checks`). */
  mergeInto(base: string, head: string): Promise<"merged" | "up-to-date" | "conflict">;

  /** workflow_dispatch with return_run_details; the run id when GitHub returns it. */
  dispatchWorkflow(workflow: string, ref: string, inputs: Record<string, string>): Promise<{ runId: number | null }>;

  cancelRun(runId: number): Promise<void>;

  /** Delete a branch; one that does not exist (deleted already, by GitHub or a person) is success. */
  deleteBranch(branch: string): Promise<void>;

  /** Copilot coding agent: assign the issue to Copilot. */
  assignCopilot(issueNodeId: string): Promise<void>;

  /** A one-off answer (replies outside commands); everything else goes through `applyBatch`. */
  createComment(issue: number, body: string): Promise<CommentRef>;
}

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface CommentFacts {
  id: number;
  nodeId: string;
  author: string;
  authorIsBot: boolean;
  body: string;
  createdAt: number;
  /** Last edit time; equals createdAt when never edited. */
  updatedAt: number;
}

export interface RepoContext {
  defaultBranch: string;
  files: string[];
  readmeHead: string;
  labels: string[];
}

export interface NewSubIssue {
  key: string;
  title: string;
  body: string;
  labelIds: string[];
}

export interface CreatedIssue {
  key: string;
  number: number;
  id: number;
  nodeId: string;
}

/** Writes that can share one GraphQL mutation document. */
export type BatchOp =
  /** A native "blocked by" link; a link that exists already reports "already". */
  | { kind: "addBlockedBy"; taskNodeId: string; blockerNodeId: string }
  | { kind: "setLabels"; issueNodeId: string; addLabelIds: string[]; removeLabelIds: string[] }
  | { kind: "updateIssue"; issueNodeId: string; title: string; body: string }
  | { kind: "closeIssue"; issueNodeId: string; reason: "completed" | "not_planned" }
  | { kind: "createCheckRun"; headSha: string; name: string; status: "pending" | "success" | "failure"; title: string; summary: string }
  | { kind: "updateCheckRun"; checkNodeId: string; status: "pending" | "success" | "failure"; title: string; summary: string }
  | { kind: "merge"; pullNodeId: string; headSha: string; method: "merge" | "squash" | "rebase" }
  | { kind: "enableAutoMerge"; pullNodeId: string; headSha: string; method: "merge" | "squash" | "rebase" }
  /** Add a PR to its base branch's merge queue (GraphQL `enqueuePullRequest`, guarded by the head). */
  | { kind: "enqueue"; pullNodeId: string; headSha: string }
  | { kind: "updateComment"; commentNodeId: string; body: string }
  | { kind: "addComment"; subjectNodeId: string; body: string }
  /** A claim branch; fails (and changes nothing) when the branch exists: someone else holds the task. */
  | { kind: "createRef"; branch: string; sha: string };

/**
 * Per-op outcome; a failed op does not fail the others in the batch. A merge reports the
 * merge commit, which is the default branch's new head unless someone pushed in between.
 */
export type BatchResult = { ok: true; mergeCommitSha?: string } | { ok: false; message: string };

/** A write whose outcome is unknown (timeout or 5xx after sending). Never retried blindly. */
export class AmbiguousWriteError extends Error {
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`outcome of ${operation} is unknown; the next reconcile will re-read before trying again`, options);
    this.name = "AmbiguousWriteError";
  }
}

/** The App lacks a permission it needs (403 without rate-limit headers). */
export class MissingPermissionError extends Error {
  constructor(operation: string, detail: string) {
    super(`Architect lacks a permission for ${operation}: ${detail}`);
    this.name = "MissingPermissionError";
  }
}
