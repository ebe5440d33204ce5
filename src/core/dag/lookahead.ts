import { MIN_WEIGHT } from "./schedule.js";

/**
 * One-step lookahead over the longest-remaining-path list schedule (a "rollout"). Plain
 * list scheduling fills every free slot with the task whose path ahead is longest; near a
 * join that can leave agents idle while one long task finishes. Here each free slot tries
 * the few best candidates in turn: for each, the rest of the milestone is list-scheduled
 * on the estimates, and the candidate whose simulated finish is earliest wins. Ties keep
 * the priority order, so without a better option this is exactly the list schedule.
 *
 * Only the order of preference comes from here; caps per agent and scope conflicts are
 * still `pickTasksToStart`'s to enforce. Times are in the estimates' unit (agent-hours).
 */
export interface LookaheadInput {
  /** Every task of the plan still to finish, and the finished ones (their keys may be named as dependencies). */
  tasks: readonly { key: string; dependsOn: readonly string[]; estimate: number }[];
  /** Tasks whose dependents may start: merged, or as good as (in review). */
  finished: ReadonlySet<string>;
  /** Tasks holding a slot, with the time they are expected to need still. */
  running: readonly { key: string; remaining: number }[];
  /** Tasks that may start now. */
  ready: readonly string[];
  /** Longest remaining path per key (`remainingPathPriority`); higher first. */
  priority: ReadonlyMap<string, number>;
  /** Plan position per key; lower first among equal priorities. */
  order: ReadonlyMap<string, number>;
  /** Slots in all, the running tasks' included. */
  capacity: number;
  /** Candidates tried per free slot (the best by priority). */
  width?: number;
}

/** Candidates tried per slot: the benchmark's gain is flat beyond about four. */
export const LOOKAHEAD_WIDTH = 4;

/** The ready keys to start, best first, at most the free slots. */
export function lookaheadPicks(input: LookaheadInput): string[] {
  const width = input.width ?? LOOKAHEAD_WIDTH;
  const free = input.capacity - input.running.length;
  const ordered = [...input.ready].sort(byPriority(input.priority, input.order));
  const picks: string[] = [];
  for (let slot = 0; slot < free && picks.length < ordered.length; slot++) {
    const left = ordered.filter((key) => !picks.includes(key));
    let best = left[0] as string;
    let bestFinish = Number.POSITIVE_INFINITY;
    for (const candidate of left.slice(0, width)) {
      const finish = simulatedFinish(input, [...picks, candidate]);
      // Strictly earlier only: a tie keeps the higher-priority candidate.
      if (finish < bestFinish - 1e-9) {
        bestFinish = finish;
        best = candidate;
      }
    }
    picks.push(best);
  }
  return picks;
}

/** When the list schedule would finish everything reachable, starting `first` now. */
function simulatedFinish(input: LookaheadInput, first: readonly string[]): number {
  const weight = new Map(input.tasks.map((t) => [t.key, Math.max(t.estimate, MIN_WEIGHT)]));
  const started = new Set([...input.running.map((r) => r.key), ...first]);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of input.tasks) {
    if (input.finished.has(t.key) || started.has(t.key)) continue;
    waiting.set(t.key, t.dependsOn.filter((d) => !input.finished.has(d)).length);
    for (const d of t.dependsOn) if (!input.finished.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), t.key]);
  }
  const compare = byPriority(input.priority, input.order);
  const ready = [...waiting].filter(([, n]) => n === 0).map(([key]) => key).sort(compare);
  const running = [...input.running.map((r) => ({ key: r.key, end: Math.max(r.remaining, 0) })), ...first.map((key) => ({ key, end: weight.get(key) ?? 1 }))];
  let now = 0;
  let finish = 0;
  while (running.length > 0 || ready.length > 0) {
    while (running.length < input.capacity && ready.length > 0) {
      const key = ready.shift() as string;
      running.push({ key, end: now + (weight.get(key) ?? 1) });
    }
    if (running.length === 0) break; // no slots at all: nothing can finish
    running.sort((a, b) => a.end - b.end);
    now = (running[0] as { end: number }).end;
    finish = Math.max(finish, now);
    while (running.length > 0 && (running[0] as { end: number }).end <= now) {
      const done = (running.shift() as { key: string }).key;
      for (const next of dependents.get(done) ?? []) {
        const left = (waiting.get(next) ?? 1) - 1;
        waiting.set(next, left);
        if (left === 0) insertSorted(ready, next, compare);
      }
    }
  }
  return finish;
}

function byPriority(priority: ReadonlyMap<string, number>, order: ReadonlyMap<string, number>) {
  const at = (key: string) => order.get(key) ?? Number.POSITIVE_INFINITY;
  return (a: string, b: string) => (priority.get(b) ?? 0) - (priority.get(a) ?? 0) || at(a) - at(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function insertSorted(list: string[], key: string, compare: (a: string, b: string) => number): void {
  const at = list.findIndex((other) => compare(key, other) < 0);
  if (at === -1) list.push(key);
  else list.splice(at, 0, key);
}

/** Priorities with the lookahead's picks above every other task, in their order; the rest unchanged. */
export function preferPicks(picks: readonly string[], priority: ReadonlyMap<string, number>): Map<string, number> {
  const top = Math.max(0, ...priority.values());
  const result = new Map(priority);
  picks.forEach((key, i) => result.set(key, top + picks.length - i));
  return result;
}
