import type { Effect, TaskState } from "./effects.js";
import type { TaskFacts } from "./snapshot.js";
import { BOT_LABELS, STATE_LABELS } from "../../shared/labels.js";

/**
 * Labels are a projection of the derived state, for people and for search. Only
 * bot-owned state labels are ever added or removed; the change is the minimal diff, and
 * none is emitted when the issue already shows its state.
 */
export function projectStateLabels(task: TaskFacts, state: TaskState): Effect | null {
  const want = STATE_LABELS[state.state].name;
  const add = task.issue.labels.includes(want) ? [] : [want];
  const remove = task.issue.labels.filter((l) => l !== want && BOT_LABELS.includes(l));
  if (add.length === 0 && remove.length === 0) return null;
  return { kind: "setLabels", issue: task.issue.number, issueNodeId: task.issue.nodeId, add, remove: [...new Set(remove)] };
}
