import type { Redis } from "ioredis";
import { createRedisWriteLimiter, type WriteLimiter } from "../github/write-limiter.js";
import { realClock, type Clock } from "../shared/clock.js";
import type { RunLedger } from "../github/run-ledger.js";
import type { Lease } from "./reconcile-queue.js";
import { createRedisRunLedger } from "./redis-run-ledger.js";

/**
 * Several replicas share Redis for three things: a per-milestone lease (only one replica
 * reconciles a milestone at a time), one GitHub write budget (the secondary limits are per
 * App installation, not per process) and the run ledger (a `workflow_run` webhook lands on
 * one replica; all must know it). Without REDIS_URL everything stays in memory.
 */
export interface ScaleOut {
  limiter?: WriteLimiter;
  lease?: Lease;
  runLedger?: RunLedger;
  close?: () => Promise<void>;
  /** True while the Redis connection is ready (the `architect_redis_up` metric). */
  available?: () => boolean;
}

export async function createScaleOut(env: NodeJS.ProcessEnv, clock: Clock = realClock): Promise<ScaleOut> {
  const url = env.REDIS_URL;
  if (!url) return {};
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  const prefix = env.ARCHITECT_REDIS_PREFIX ?? "architect";
  const limiter = createRedisWriteLimiter(client, clock, `${prefix}:writes`);
  return {
    lease: createRedisLease(client, `${prefix}:lease:`),
    limiter,
    runLedger: createRedisRunLedger(client, clock, `${prefix}:`),
    available: () => client.status === "ready",
    close: async () => {
      await limiter.close?.();
      await client.quit();
    },
  };
}

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** SET NX PX lease with an owner token, released only by its owner. */
export function createRedisLease(client: Redis, prefix: string): Lease {
  const owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  return {
    async acquire(key, ttlMs) {
      return (await client.set(prefix + key, owner, "PX", ttlMs, "NX")) === "OK";
    },
    async release(key) {
      await client.eval(RELEASE, 1, prefix + key, owner);
    },
  };
}

export { createRedisWriteLimiter };
