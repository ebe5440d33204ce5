/**
 * One task's correlation id, `m<milestone issue id>-t<task number>`: the same id is in the
 * dispatch inputs, the agent run's log, the PR body's run marker, Architect's log lines
 * and its trace attributes, so one search follows a task from its first dispatch to its
 * merge. Built from the milestone's REST database id (unique across GitHub, stable across
 * replans) and the task's number; ids only, so it is safe in argv, logs and markers.
 */
export const CORRELATION_ID_PATTERN = /^m[0-9]{1,12}-t[0-9]{1,10}$/;

export function correlationId(milestoneId: number, task: number): string {
  return `m${milestoneId}-t${task}`;
}
