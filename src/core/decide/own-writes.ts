import { DAG_CHECK_NAME } from "../task/eligibility.js";
import type { Effect } from "./effects.js";
import type { CheckFacts, Snapshot, TaskFacts } from "./snapshot.js";

/** A merge GitHub confirmed, with the merge commit it made. */
export interface ConfirmedMerge {
  task: number;
  mergeCommitSha: string;
}

/** Effects whose outcome this module can write into a snapshot; anything else needs a real read. */
const MODELLED: ReadonlySet<Effect["kind"]> = new Set(["merge", "closeIssue", "setLabels", "setDagCheck", "linkBlockedBy"]);

/**
 * The snapshot as it stands after a pass's own writes all succeeded, so the next pass can
 * decide without reading GitHub again ("read your own writes"). Only for passes made of
 * merges, closes, label changes, `architect/dag` checks and links, and only when every
 * merge is confirmed with its merge commit; null otherwise (the caller reads instead).
 *
 * A merged task's issue is taken as closed, as GitHub closes it for the PR's closing
 * keyword; if the PR had none, the next real read shows it open and decide closes it.
 * The default branch's head becomes the last merge commit, so dependents' claim branches
 * start from the code they depend on. Everything else is the original read's.
 */
export function afterOwnWrites(snapshot: Snapshot, effects: readonly Effect[], merges: readonly ConfirmedMerge[]): Snapshot | null {
  if (effects.some((e) => !MODELLED.has(e.kind))) return null;
  const mergeCommit = new Map(merges.map((m) => [m.task, m.mergeCommitSha]));
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
        // A new check's id is GitHub's to give; without it a second pass would create another.
        if (!pull || effect.checkNodeId === null) return null;
        pull.checks = [...pull.checks.filter((c) => !(c.name === DAG_CHECK_NAME && c.appSlug === botSlug(snapshot))), ownDagCheck(effect, snapshot)];
        break;
      }
      case "linkBlockedBy": {
        const task = taskOf(effect.task);
        if (!task) return null;
        task.blockedBy = [...new Set([...task.blockedBy, effect.blocker])];
        break;
      }
      default:
        return null;
    }
  }
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
