import Bottleneck from "bottleneck";
import type { Redis } from "ioredis";
import type { Clock } from "../shared/clock.js";

/**
 * Paces GitHub writes so Architect stays under the secondary rate limits instead of
 * bouncing off them: GitHub asks for at least a second between mutative requests and
 * caps content creation at 80 a minute and 500 an hour (../shared/reference/github-platform.md,
 * "Secondary limits" and "Best practices"). Bottleneck does the pacing, in memory or, with
 * several replicas, through its Redis clustering so every replica draws on one budget.
 */
export interface WriteLimiter {
  /** Resolve when a write of `cost` content units may be sent (and count it as sent). */
  acquire(cost?: number): Promise<void>;
  /** No write for the next `waitMs` of the limiter's clock (GitHub said we went too fast). */
  penalize(waitMs: number): void;
  /** Stop timers and close connections the limiter opened itself. */
  close?(): Promise<void>;
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

/** One process's budget, in memory. */
export function createMemoryWriteLimiter(clock: Clock, budget: Partial<WriteBudget> = {}): WriteLimiter {
  let penaltyUntil = 0;
  return createBottleneckLimiter(clock, budget, {
    store: {},
    penaltyLeft: async () => penaltyUntil - Date.now(),
    setPenalty: (until) => {
      penaltyUntil = Math.max(penaltyUntil, until);
    },
    close: async () => {},
  });
}

/**
 * The budget shared by every replica on one Redis (Bottleneck's `ioredis` datastore).
 * The limiter opens its own connections (a duplicate of `client` and Bottleneck's
 * subscriber) and closes them in `close()`; `client` itself stays the caller's.
 */
export function createRedisWriteLimiter(client: Redis, clock: Clock, key: string, budget: Partial<WriteBudget> = {}): WriteLimiter {
  const own = client.duplicate();
  const connection = new Bottleneck.IORedisConnection({ client: own });
  tolerateRedis7Errors(connection);
  connection.on("error", () => {});
  const penaltyKey = `${key}:penalty`;
  return createBottleneckLimiter(clock, budget, {
    store: { datastore: "ioredis", connection, clearDatastore: false, id: key },
    // Redis spaces writes as they are registered, on the time each replica sent with its
    // registration; a replica then starts the write after Redis's answer and its own timer,
    // so two replicas' writes can come closer than the spacing by the difference of those
    // delays. A few wall milliseconds of margin cover it on a sound machine (1 s + 5 ms on
    // GitHub's clock; 2.5 s of sandbox time at 300×, where one wall ms is 300 ms).
    spacingMarginWallMs: 5,
    // A replica that stops takes its pending give-backs with it, and those units would be
    // missing from the shared reservoirs for good. After two idle hours every window is
    // empty and every live replica's give-backs have landed (the last an hour after its
    // write), so Bottleneck's `timeout` then drops the keys and the next write starts from
    // full reservoirs; a give-back can never land on reservoirs refilled that way.
    idleResetMs: 2 * HOUR,
    penaltyLeft: async () => Number((await own.get(penaltyKey)) ?? 0) - Date.now(),
    setPenalty: (until) => {
      const ttl = Math.max(1, Math.ceil(until - Date.now()));
      // Keep the later of two penalties (two replicas limited at once).
      void own
        .eval(`local v = tonumber(redis.call("get", KEYS[1]) or "0") if tonumber(ARGV[1]) > v then redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) end return 0`, 1, penaltyKey, String(until), String(ttl))
        .catch(() => {});
    },
    close: async () => {
      await connection.disconnect(false);
    },
  });
}

interface Backend {
  store: { datastore?: "ioredis"; connection?: Bottleneck.IORedisConnection; clearDatastore?: boolean; id?: string };
  /** Redis only: drop the shared state after this much idle clock time (see createRedisWriteLimiter). */
  idleResetMs?: number;
  /** Wall ms added to the spacing between writes (see createRedisWriteLimiter). */
  spacingMarginWallMs?: number;
  /** Wall-clock ms until the penalty ends (≤ 0: none). */
  penaltyLeft(): Promise<number>;
  /** No write before this wall-clock epoch ms. */
  setPenalty(untilWallMs: number): void;
  close(): Promise<void>;
}

/**
 * Two chained Bottleneck limiters: the first starts writes in order, `minWriteIntervalMs`
 * apart (its `minTime`; `maxConcurrent` stays unset because Bottleneck counts a job's weight
 * against it), and holds the minute budget, the second holds the hour budget.
 * Bottleneck's reservoirs refill on a fixed schedule, and a fixed window lets twice the
 * budget through around its edge; GitHub's windows are documented per minute and per hour
 * without saying which kind, so each window here is sliding: a granted write takes its units
 * from both reservoirs and gives them back one window later (`incrementReservoir`).
 *
 * Bottleneck runs on wall-clock timers, so every timing is divided by the clock's speed: on
 * the sandbox's 300× clock a second between writes is 3.3 ms of wall time (5 ms once rounded).
 */
function createBottleneckLimiter(clock: Clock, budget: Partial<WriteBudget>, backend: Backend): WriteLimiter {
  const limits = { ...DEFAULT_WRITE_BUDGET, ...budget };
  const speed = clock.speed ?? 1;
  // Whole wall milliseconds, rounded up, plus one: Node truncates fractional delays and may
  // fire a timer a millisecond before Date.now() agrees (at 300× that is 300 ms of sandbox
  // time early), and Bottleneck does not look at the time again when its timer fires.
  const wall = (ms: number) => Math.ceil(ms / speed) + 1;
  const id = backend.store.id ?? "architect-writes";
  const minTime = limits.minWriteIntervalMs > 0 ? wall(limits.minWriteIntervalMs) + (backend.spacingMarginWallMs ?? 0) : 0;
  const timeout = backend.idleResetMs ? { timeout: wall(backend.idleResetMs) } : {};
  const minute = new Bottleneck({ ...backend.store, ...timeout, id: `${id}:minute`, minTime, reservoir: limits.perMinute });
  const hour = new Bottleneck({ ...backend.store, ...timeout, id: `${id}:hour`, reservoir: limits.perHour });
  minute.chain(hour);
  for (const limiter of [minute, hour]) limiter.on("error", () => {});
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;

  const giveBack = (limiter: Bottleneck, units: number, afterWallMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) void limiter.incrementReservoir(units).catch(() => {});
    }, afterWallMs);
    timer.unref?.();
    timers.add(timer);
  };

  /**
   * The job Bottleneck runs when the write's turn comes. A penalty is waited out inside it
   * (every later write's job finds the same penalty and waits too); the write is then
   * refused (its units come straight back) and queued again, so the second between writes
   * counts from the end of the penalty, not from before it.
   */
  const grant = async (units: number): Promise<boolean> => {
    const left = await backend.penaltyLeft();
    if (left > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(left) + 1));
      await Promise.all([minute.incrementReservoir(units), hour.incrementReservoir(units)]);
      return false;
    }
    giveBack(minute, units, wall(MINUTE));
    giveBack(hour, units, wall(HOUR));
    return true;
  };

  return {
    async acquire(cost = 1) {
      // A single request larger than a window's budget waits for an empty window, not forever.
      const units = Math.max(1, Math.min(cost, limits.perMinute, limits.perHour));
      while (!(await minute.schedule({ weight: units }, () => grant(units)))) {
        // penalised: queue again
      }
    },
    penalize(waitMs) {
      backend.setPenalty(Date.now() + Math.max(0, waitMs) / speed);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([minute.stop({ dropWaitingJobs: true }).catch(() => {}), hour.stop({ dropWaitingJobs: true }).catch(() => {})]);
      await backend.close();
    },
  };
}

/**
 * Bottleneck 2.19.5 recognises two script replies by their exact text, "SETTINGS_KEY_NOT_FOUND"
 * and "UNKNOWN_CLIENT", and recovers from them (re-creating its settings, re-registering a
 * client that missed its heartbeats). Redis 7 prefixes such replies with "ERR ", so the
 * recovery never runs (SGrondin/bottleneck#205, noted in ../shared/reference/github-platform.md
 * under "Bottleneck"). This strips the prefix from those two replies.
 */
function tolerateRedis7Errors(connection: Bottleneck.IORedisConnection): void {
  const target = connection as unknown as { __scriptFn__(name: string): (...args: unknown[]) => unknown };
  const original = target.__scriptFn__.bind(target);
  target.__scriptFn__ = (name: string) => {
    const fn = original(name);
    return (...args: unknown[]) => {
      const callback = args[args.length - 1];
      if (typeof callback !== "function") return fn(...args);
      const wrapped = (err: Error | null, replies: unknown) => {
        if (err && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(err.message)) err.message = err.message.slice(4);
        return (callback as (e: Error | null, r: unknown) => unknown)(err, replies);
      };
      return fn(...args.slice(0, -1), wrapped);
    };
  };
}
