import { STATE_LABELS } from "../../shared/labels.js";
import type { StatusRecord } from "./snapshot.js";

/**
 * What `decide` asks the world to do. Pure data: the app's effect applier is the only
 * code that turns these into GitHub writes, and every one of them is idempotent when
 * applied to the snapshot it was decided from.
 */

export type TaskStateName =
  | "blocked"
  | "ready"
  | "running"
  | "review"
  | "done"
  | "failed"
  | "needs-human"
  | "held"
  | "cancelled";

/** A task's derived lifecycle state and a human-readable reason (shown in the status comment). */
export interface TaskState {
  state: TaskStateName;
  reason: string;
}

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

export type Effect =
  /** Create repository labels that do not exist yet (needed before issues can carry them). */
  | { kind: "createLabels"; labels: LabelSpec[] }
  /** Create one task sub-issue under the milestone (the applier batches these). */
  | { kind: "createTask"; key: string; title: string; body: string; labels: string[] }
  /** Rewrite an existing task's title and body (replan changed its definition). */
  | { kind: "updateTask"; issue: number; issueNodeId: string; title: string; body: string }
  /** Add a native "blocked by" link: `task` is blocked by `blocker`. Ids are REST database ids. */
  | { kind: "linkBlockedBy"; task: number; taskNodeId: string; blocker: number; blockerId: number; blockerNodeId: string }
  /** Make a task's bot-owned labels match: add and remove exactly these. */
  | { kind: "setLabels"; issue: number; issueNodeId: string; add: string[]; remove: string[] }
  /**
   * Start an agent run. When `claim` is set the claim branch is created first; a 422
   * "Reference already exists" means someone else holds the task and the dispatch is skipped.
   */
  | {
      kind: "dispatch";
      task: number;
      /**
       * `merge`: with `advance_on: checks`, branches of dependencies that are green but not
       * merged yet; they are merged into the new claim branch (GitHub's merges API) so the
       * agent builds on their code.
       */
      claim: { branch: string; sha: string; merge?: string[] } | null;
      workflow: string;
      /** Ref the workflow runs from: always the default branch (never code an agent wrote). */
      ref: string;
      /** Only ids and validated names: never issue or comment text. */
      inputs: Record<string, string>;
      /** `architect <milestone>/<task>/<seq>/<mode>`; the workflow's run-name, for correlation. */
      runTitle: string;
      /**
       * A second send of a dispatch whose run never appeared. It goes out before the status
       * record that marks it re-sent: a crash in between must not leave a record claiming a
       * re-send that never happened (that record alone parks the task for a human).
       */
      resend?: boolean;
    }
  /** Hand a task to Copilot's coding agent by assigning the issue. */
  | { kind: "assignCopilot"; task: number; issueNodeId: string }
  | { kind: "cancelRun"; task: number; runId: number; reason: string }
  /** Create or update the `architect/dag` check run on a task PR's head. */
  | {
      kind: "setDagCheck";
      task: number;
      pull: number;
      headSha: string;
      /** Node id of the existing check run on this head, if any. */
      checkNodeId: string | null;
      status: "pending" | "success" | "failure";
      title: string;
      summary: string;
    }
  | { kind: "merge"; task: number; pull: number; pullNodeId: string; headSha: string; method: "merge" | "squash" | "rebase" }
  | { kind: "enableAutoMerge"; task: number; pull: number; pullNodeId: string; headSha: string; method: "merge" | "squash" | "rebase" }
  /** The base branch requires a merge queue: add the PR to it (GitHub merges it once its group is green). */
  | { kind: "enqueue"; task: number; pull: number; pullNodeId: string; headSha: string }
  | { kind: "closeIssue"; issue: number; issueNodeId: string; reason: "completed" | "not_planned" }
  /**
   * Delete a claim branch whose task has ended (`ended`: its issue was closed, it was
   * cancelled while open, or it failed for good without a PR). Deleting a branch that is
   * already gone is success.
   */
  | { kind: "deleteBranch"; task: number; branch: string; ended: "closed" | "cancelled" | "failed" }
  /** Create or update the milestone's sticky status comment (only emitted when the body differs). */
  | { kind: "upsertStatusComment"; commentNodeId: string | null; body: string };

export type EffectKind = Effect["kind"];

/**
 * Effects that change facts the next decision depends on (new tasks, merges, closes):
 * after them the world must be read again before deciding more. New labels and
 * dependency links are not among them: the applier uses a new label's id in the same
 * pass, and a link only stops decide from asking for that link again.
 */
export const STRUCTURAL_EFFECTS: ReadonlySet<EffectKind> = new Set(["createTask", "merge", "closeIssue"]);

const RUN_VERDICT_LABELS: ReadonlySet<string> = new Set([STATE_LABELS.failed.name, STATE_LABELS["needs-human"].name]);

/**
 * Effects that act on what a workflow run did or did not do: a retry, a review run, a
 * re-send, a cancel, a task marked failed or handed to a person. The app decides these
 * only on a freshly listed set of runs (a missed webhook must not cause a second run).
 * Initial dispatches are not among them: their lock is the claim branch.
 */
export function actsOnRunOutcome(effect: Effect): boolean {
  switch (effect.kind) {
    case "cancelRun":
      return true;
    // An open task's branch goes only once no run works on it: a run the ledger missed must not lose its branch.
    case "deleteBranch":
      return effect.ended !== "closed";
    case "dispatch":
      return effect.claim === null;
    case "setLabels":
      return effect.add.some((name) => RUN_VERDICT_LABELS.has(name));
    default:
      return false;
  }
}

/** The full result of one decision pass. */
export interface Decision {
  effects: Effect[];
  /** Each task's derived state, by issue number. */
  states: Record<number, TaskState>;
  /** Reconcile again at this time even if nothing else happens (backoff, timeouts); null = no timer. */
  wakeAt: number | null;
  /** The record to keep in the status comment's marker after this pass. */
  statusRecord: StatusRecord;
}
