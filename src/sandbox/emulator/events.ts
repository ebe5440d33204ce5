import type { CheckRun, CheckSuite, Comment, Commit, Issue, Label, MergeQueueEntry, PullRequest, Repo, Review, User, WorkflowRun } from "./model.js";

/**
 * What happened in the world, before it is shaped into a webhook payload. The state emits
 * these; webhooks.ts turns them into GitHub's JSON and actors react to them directly.
 */
export interface WorldEvent {
  /** Webhook event name (`issues`, `pull_request`, `workflow_run`, …). */
  name: string;
  /** Webhook `action`, or null for events without one (`push`, `create`). */
  action: string | null;
  repo: Repo;
  sender: User;
  at: number;
  data: WorldEventData;
}

/** The objects an event is about; which fields are set depends on the event. */
export interface WorldEventData {
  issue?: Issue;
  comment?: Comment;
  label?: Label;
  assignee?: User;
  pull?: PullRequest;
  review?: Review;
  checkRun?: CheckRun;
  checkSuite?: CheckSuite;
  run?: WorkflowRun;
  /** sub_issues: the parent and the child. */
  parentIssue?: Issue;
  subIssue?: Issue;
  /** issue_dependencies: the blocked issue and its blocker. */
  blockedIssue?: Issue;
  blockingIssue?: Issue;
  push?: { ref: string; before: string; after: string; commits: Commit[]; created: boolean; deleted: boolean; forced: boolean };
  create?: { ref: string; refType: "branch" | "tag" };
  /** merge_group: the queue entry and its group; `reason` on `destroyed`, and on `pull_request.dequeued`. */
  mergeGroup?: { entry: MergeQueueEntry; headSha: string; headRef: string; baseSha: string };
  reason?: string;
  /** `changes` of edited events, e.g. `{ body: { from } }`. */
  changes?: Record<string, { from: string }>;
}

/** Receives every event the world emits, synchronously, in order. */
export type EventListener = (event: WorldEvent) => void;
