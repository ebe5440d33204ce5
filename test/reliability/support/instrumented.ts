import type { Lease } from "../../../src/app/reconcile-queue.js";
import type { WriteLimiter } from "../../../src/github/write-limiter.js";

/**
 * Observers around the scale-out pieces, shared by every replica of a test: they never
 * decide anything (Redis does), they only record who held what when, so the test can
 * check "one reconcile per milestone at a time" across processes.
 */
export interface LeaseTracker {
  /** Holders per key right now. */
  holding: Map<string, number>;
  /** Largest number of simultaneous holders seen for any key. */
  maxOverlap: number;
  /** Successful acquisitions per replica name. */
  acquired: Map<string, number>;
  /** Acquisitions refused because another replica held the key. */
  refused: number;
}

export function newLeaseTracker(): LeaseTracker {
  return { holding: new Map(), maxOverlap: 0, acquired: new Map(), refused: 0 };
}

export function trackLease(replica: string, lease: Lease, tracker: LeaseTracker): Lease {
  return {
    async acquire(key, ttlMs) {
      const ok = await lease.acquire(key, ttlMs);
      if (!ok) {
        tracker.refused += 1;
        return false;
      }
      const now = (tracker.holding.get(key) ?? 0) + 1;
      tracker.holding.set(key, now);
      tracker.maxOverlap = Math.max(tracker.maxOverlap, now);
      tracker.acquired.set(replica, (tracker.acquired.get(replica) ?? 0) + 1);
      return true;
    },
    async release(key) {
      // Count the release before Redis frees the key, so the next holder is never counted early.
      tracker.holding.set(key, (tracker.holding.get(key) ?? 1) - 1);
      await lease.release(key);
    },
  };
}

/** Counts the writes (and budget units) each replica got through the shared limiter. */
export function countLimiter(limiter: WriteLimiter, counter: { writes: number; units: number; grants?: number[]; asked?: number[] }, clock?: { now(): number }): WriteLimiter {
  return {
    async acquire(cost = 1) {
      if (clock) counter.asked?.push(clock.now());
      await limiter.acquire(cost);
      counter.writes += 1;
      counter.units += Math.max(1, cost);
      if (clock) counter.grants?.push(clock.now());
    },
    penalize: (waitMs) => limiter.penalize(waitMs),
    close: () => limiter.close?.() ?? Promise.resolve(),
  };
}
