import { decodeMarker } from "../markers/markers.js";
import { DAG_CHECK_NAME } from "../task/eligibility.js";
import type { Effect } from "./effects.js";
import { inPlanOrder } from "./plan-order.js";
import type { CheckFacts, Snapshot, TaskFacts } from "./snapshot.js";

/** A merge GitHub confirmed, with the merge commit it made. */
export interface ConfirmedMerge {
  task: number;
  mergeCommitSha: string;
}

/** A sub-issue GitHub created, with the numbers it gave it. */
export interface CreatedTask {
  key: string;
  number: number;
  id: number;
  nodeId: string;
}

/** What GitHub answered to a pass's writes that the snapshot cannot know in advance. */
export interface OwnWrites {
  merged: readonly ConfirmedMerge[];
  created?: readonly CreatedTask[];
  /** Node ids of the labels the pass created, by name. */
  labelIds?: Readonly<Record<string, string>>;
}

/** Effects whose outcome this module can write into a snapshot; anything else needs a real read. */
const MODELLED: ReadonlySet<Effect["kind"]> = new Set(["merge", "closeIssue", "setLabels", "setDagCheck", "linkBlockedBy", "createLabels", "createTask"]);

/**
 * The snapshot as it stands after a pass's own writes all succeeded, so the next pass can
 * decide without reading GitHub again ("read your own writes"). Only for passes made of
 * new labels and sub-issues, merges, closes, label changes, `architect/dag` checks and
 * links, and only when GitHub confirmed every merge with its merge commit, every new
 * sub-issue with its number and every new label with its id; null otherwise (the caller
 * reads instead).
 *
 * A new sub-issue is what was asked for: open, with its title, body (marker included) and
 * labels, authored by the App, without links, branch, PR or runs.
 * A merged task's issue is taken as closed, as GitHub closes it for the PR's closing
 * keyword; if the PR had none, the next real read shows it open and decide closes it.
 * The default branch's head becomes the last merge commit, so dependents' claim branches
 * start from the code they depend on. Everything else is the original read's.
 */
export function afterOwnWrites(snapshot: Snapshot, effects: readonly Effect[], written: OwnWrites): Snapshot | null {
  if (effects.some((e) => !MODELLED.has(e.kind))) return null;
  const mergeCommit = new Map(written.merged.map((m) => [m.task, m.mergeCommitSha]));
  const created = new Map((written.created ?? []).map((c) => [c.key, c]));
  const merging = effects.filter((e): e is Extract<Effect, { kind: "merge" }> => e.kind === "merge");
  if (merging.some((m) => !mergeCommit.has(m.task))) return null;

  const next: Snapshot = structuredClone(snapshot);
  const taskOf = (issue: number): TaskFacts | undefined => next.tasks.find((t) => t.issue.number === issue);
  for (const effect of effects) {
    switch (effect.kind) {
      case "merge": {
        const task = taskOf(effect.task);
        if (!task?.pull) return null;
        task.pull.state = "merged";
        task.issue.state = "closed";
        task.issue.stateReason = "completed";
        next.repo.defaultBranchSha = mergeCommit.get(effect.task) as string;
        break;
      }
      case "closeIssue": {
        const task = taskOf(effect.issue);
        if (!task) return null;
        task.issue.state = "closed";
        task.issue.stateReason = effect.reason;
        break;
      }
      case "setLabels": {
        const task = taskOf(effect.issue);
        if (!task) return null;
        task.issue.labels = [...new Set([...task.issue.labels.filter((l) => !effect.remove.includes(l)), ...effect.add])];
        break;
      }
      case "setDagCheck": {
        const pull = taskOf(effect.task)?.pull;
        if (!pull) return null;
        // Nothing reads the check of a PR this pass merged.
        if (merging.some((m) => m.task === effect.task)) break;
        // A new check's id is GitHub's to give; without it a second pass would create another.
        if (effect.checkNodeId === null) return null;
        pull.checks = [...pull.checks.filter((c) => !(c.name === DAG_CHECK_NAME && c.appSlug === botSlug(snapshot))), ownDagCheck(effect, snapshot)];
        break;
      }
      case "linkBlockedBy": {
        const task = taskOf(effect.task);
        if (!task) return null;
        task.blockedBy = [...new Set([...task.blockedBy, effect.blocker])];
        break;
      }
      case "createLabels": {
        for (const label of effect.labels) {
          const id = written.labelIds?.[label.name] ?? snapshot.repoLabels[label.name];
          if (id === undefined) return null;
          next.repoLabels[label.name] = id;
        }
        break;
      }
      case "createTask": {
        const made = created.get(effect.key);
        const marker = decodeMarker("task", effect.body);
        if (!made || !marker || taskOf(made.number)) return null;
        next.tasks.push({
          issue: { number: made.number, id: made.id, nodeId: made.nodeId, title: effect.title, body: effect.body, state: "open", stateReason: null, labels: [...effect.labels], author: snapshot.botLogin },
          marker,
          blockedBy: [],
          branch: null,
          pull: null,
          runs: [],
        });
        break;
      }
      default:
        return null;
    }
  }
  if (created.size > 0) next.tasks = inPlanOrder(next.tasks, next.control?.value.plan ?? null);
  return next;
}

function botSlug(snapshot: Snapshot): string {
  return snapshot.botLogin.replace(/\[bot\]$/, "");
}

function ownDagCheck(effect: Extract<Effect, { kind: "setDagCheck" }>, snapshot: Snapshot): CheckFacts {
  const conclusion = effect.status === "pending" ? null : effect.status;
  return {
    nodeId: effect.checkNodeId,
    name: DAG_CHECK_NAME,
    title: effect.title,
    status: conclusion ? "completed" : "in_progress",
    conclusion,
    isRequired: snapshot.repo.protection?.requiredChecks.includes(DAG_CHECK_NAME) ?? false,
    appSlug: botSlug(snapshot),
    summary: effect.summary,
  };
}
