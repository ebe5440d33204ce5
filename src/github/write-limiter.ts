import type { Clock } from "../shared/clock.js";

/**
 * Paces GitHub writes so Architect stays under the secondary rate limits instead of
 * bouncing off them: GitHub asks for at least a second between mutative requests and
 * caps content creation at 80 a minute and 500 an hour. The interface is small so a
 * Redis-backed limiter can share one budget across replicas.
 */
export interface WriteLimiter {
  /** Resolve when a write of `cost` content units may be sent (and count it as sent). */
  acquire(cost?: number): Promise<void>;
  /** No write before `untilMs` (GitHub said we went too fast). */
  penalize(untilMs: number): void;
}

export interface WriteBudget {
  minWriteIntervalMs: number;
  perMinute: number;
  perHour: number;
}

/** GitHub's documented secondary limits for content creation, and its one-second advice. */
export const DEFAULT_WRITE_BUDGET: WriteBudget = { minWriteIntervalMs: 1000, perMinute: 80, perHour: 500 };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** One process's budget, kept in memory on the given clock. */
export function createMemoryWriteLimiter(clock: Clock, budget: Partial<WriteBudget> = {}): WriteLimiter {
  const limits = { ...DEFAULT_WRITE_BUDGET, ...budget };
  const sent: { at: number; cost: number }[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;
  let penaltyUntil = Number.NEGATIVE_INFINITY;
  // Acquisitions are served one at a time, in order, so two writers never both see a free slot.
  let queue: Promise<void> = Promise.resolve();

  const waitFor = (cost: number, now: number): number => {
    while (sent.length > 0 && sent[0]!.at <= now - HOUR) sent.shift();
    return Math.max(
      lastAt + limits.minWriteIntervalMs - now,
      penaltyUntil - now,
      windowWait(sent, now, MINUTE, limits.perMinute, cost),
      windowWait(sent, now, HOUR, limits.perHour, cost),
      0,
    );
  };

  const take = async (cost: number): Promise<void> => {
    for (;;) {
      const wait = waitFor(cost, clock.now());
      if (wait <= 0) break;
      await clock.sleep(wait);
    }
    lastAt = clock.now();
    sent.push({ at: lastAt, cost });
  };

  return {
    acquire(cost = 1) {
      const next = queue.then(() => take(Math.max(1, cost)));
      queue = next.catch(() => undefined);
      return next;
    },
    penalize(untilMs) {
      penaltyUntil = Math.max(penaltyUntil, untilMs);
    },
  };
}

/**
 * How long until `cost` more units fit in the sliding `window`. A single request larger
 * than the whole budget is treated as exactly the budget, so it waits for an empty window
 * instead of forever.
 */
function windowWait(sent: { at: number; cost: number }[], now: number, window: number, budget: number, cost: number): number {
  const need = Math.min(cost, budget);
  const inWindow = sent.filter((s) => s.at > now - window);
  let used = inWindow.reduce((sum, s) => sum + s.cost, 0);
  if (used + need <= budget) return 0;
  for (const entry of inWindow) {
    used -= entry.cost;
    if (used + need <= budget) return entry.at + window - now;
  }
  return 0;
}
