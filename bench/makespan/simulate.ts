import type { SimTask } from "./sim-task.js";

/**
 * Discrete-event simulation of agents working through a DAG. The simulator owns time
 * and the rules every scheduler must obey (only ready tasks start, never more than
 * `cap` at once); a `SchedulerPolicy` only chooses which ready tasks start. Every policy
 * therefore faces the same world, and a policy that breaks a rule fails loudly instead of
 * posting a flattering number.
 */

/** A task whose dependencies are all finished and which has not started. */
export interface ReadyTask {
  task: SimTask;
  /** Position in the plan (array index). */
  order: number;
  /** When its last dependency finished (0 for a source). */
  readyAt: number;
}

/** What a policy sees at a decision point. */
export interface SchedulerView {
  now: number;
  cap: number;
  ready: readonly ReadyTask[];
  running: readonly SimTask[];
  finished: ReadonlySet<string>;
}

/** Picks the keys to start now, in start order; may pick fewer than the free slots (a barrier does). */
export type SchedulerPolicy = (view: SchedulerView) => string[];

/** One task's place in the schedule. */
export interface ScheduledTask {
  key: string;
  start: number;
  end: number;
}

export interface SimulationResult {
  makespan: number;
  schedule: ScheduledTask[];
}

/** Run `tasks` on `cap` agents under `policy` until everything has finished. */
export function simulate(tasks: readonly SimTask[], cap: number, policy: SchedulerPolicy): SimulationResult {
  const byKey = new Map(tasks.map((t, i) => [t.key, { task: t, order: i }]));
  const waitingOn = new Map(tasks.map((t) => [t.key, new Set(t.dependsOn)]));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.key, []]));
  for (const t of tasks) for (const d of t.dependsOn) dependents.get(d)?.push(t.key);

  const ready = new Map<string, ReadyTask>();
  for (const t of tasks) if (t.dependsOn.length === 0) ready.set(t.key, readyTask(t.key, 0));
  const running = new Map<string, ScheduledTask>();
  const finished = new Set<string>();
  const schedule: ScheduledTask[] = [];
  let now = 0;

  function readyTask(key: string, readyAt: number): ReadyTask {
    const entry = byKey.get(key);
    if (!entry) throw new Error(`unknown task ${key}`);
    return { task: entry.task, order: entry.order, readyAt };
  }

  while (finished.size < tasks.length) {
    const picks = policy({ now, cap, ready: [...ready.values()], running: [...running.keys()].map((k) => byKey.get(k)?.task as SimTask), finished });
    for (const key of picks) {
      const entry = ready.get(key);
      if (!entry) throw new Error(`policy started ${key}, which is not ready at ${now}`);
      if (running.size >= cap) throw new Error(`policy went over the cap of ${cap} at ${now}`);
      ready.delete(key);
      const slot = { key, start: now, end: now + entry.task.duration };
      running.set(key, slot);
      schedule.push(slot);
    }
    if (running.size === 0) throw new Error(`deadlock at ${now}: nothing running, ${ready.size} ready, policy started nothing`);
    now = Math.min(...[...running.values()].map((r) => r.end));
    for (const slot of [...running.values()].filter((r) => r.end === now)) {
      running.delete(slot.key);
      finished.add(slot.key);
      for (const d of dependents.get(slot.key) ?? []) {
        const waits = waitingOn.get(d);
        waits?.delete(slot.key);
        if (waits?.size === 0) ready.set(d, readyTask(d, now));
      }
    }
  }
  return { makespan: now, schedule };
}
