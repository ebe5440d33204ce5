/**
 * The one task shape the makespan benchmark works on: what the scheduler sees (key,
 * dependencies, plan order through the array position, an estimate) and what the world
 * does (the true duration). Keeping estimate and duration apart lets the benchmark ask
 * how much the scheduler depends on good estimates.
 */
export interface SimTask {
  key: string;
  dependsOn: readonly string[];
  /** How long the task really takes, in abstract time units (> 0). */
  duration: number;
  /** What the plan says it will take; the scheduler's only view of size. */
  estimate: number;
}
