import type { LabelSpec, TaskStateName } from "../core/decide/effects.js";

/**
 * Every label string Architect reads or writes.
 * Human-owned input labels are read and never removed; bot-owned state labels are a
 * projection of each task's derived state and are recomputed on every reconcile.
 */
export const TASK_LABEL = "architect:task";
export const HOLD_LABEL = "architect:hold";
export const AGENT_LABEL_PREFIX = "agent:";

/** Bot-owned: one per visible state. */
export const STATE_LABELS: Record<TaskStateName, LabelSpec> = {
  blocked: { name: "architect:blocked", color: "bfd4f2", description: "Architect: waiting on dependencies" },
  ready: { name: "architect:ready", color: "0e8a16", description: "Architect: ready for an agent" },
  running: { name: "architect:running", color: "fbca04", description: "Architect: an agent is working on it" },
  review: { name: "architect:review", color: "1d76db", description: "Architect: PR open, waiting on checks and review" },
  done: { name: "architect:done", color: "5319e7", description: "Architect: merged" },
  failed: { name: "architect:failed", color: "d93f0b", description: "Architect: attempts exhausted" },
  "needs-human": { name: "architect:needs-human", color: "b60205", description: "Architect: a person has to step in" },
  held: { name: "architect:held", color: "c5def5", description: "Architect: on hold" },
  cancelled: { name: "architect:cancelled", color: "ededed", description: "Architect: cancelled" },
};

/** Put on a milestone issue when it is planned, so the startup sweep can find open milestones. */
export const MILESTONE_LABEL = "architect:milestone";
export const MILESTONE_LABEL_SPEC: LabelSpec = { name: MILESTONE_LABEL, color: "5319e7", description: "Architect: a planned milestone" };

export const TASK_LABEL_SPEC: LabelSpec = { name: TASK_LABEL, color: "006b75", description: "Architect: a planned task" };

/** Names of all bot-owned labels (the ones reconcile may remove). */
export const BOT_LABELS: readonly string[] = Object.values(STATE_LABELS).map((l) => l.name);

/** `agent:<name>` → name, or null. */
export function agentFromLabel(label: string): string | null {
  return label.startsWith(AGENT_LABEL_PREFIX) ? label.slice(AGENT_LABEL_PREFIX.length) : null;
}
