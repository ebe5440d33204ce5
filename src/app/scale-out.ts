import type { Redis } from "ioredis";
import { DEFAULT_WRITE_BUDGET, type WriteBudget, type WriteLimiter } from "../github/write-limiter.js";
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
}

export async function createScaleOut(env: NodeJS.ProcessEnv, clock: Clock = realClock): Promise<ScaleOut> {
  const url = env.REDIS_URL;
  if (!url) return {};
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  const prefix = env.ARCHITECT_REDIS_PREFIX ?? "architect";
  return {
    lease: createRedisLease(client, `${prefix}:lease:`),
    limiter: createRedisWriteLimiter(client, clock, `${prefix}:writes`),
    runLedger: createRedisRunLedger(client, clock, `${prefix}:`),
    close: async () => {
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

/**
 * Sliding-window budget in one sorted set (score = time, member = unique id), checked and
 * taken atomically in Lua: the minimum interval since the last write, at most perMinute in
 * the last minute and perHour in the last hour, and a shared penalty after a limit error.
 * Returns 0 when the write may go, else how many ms to wait.
 */
const TAKE = `
local key, penaltyKey = KEYS[1], KEYS[2]
local now, interval, perMinute, perHour, member, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
redis.call("zremrangebyscore", key, "-inf", now - 3600000)
local penalty = tonumber(redis.call("get", penaltyKey) or "0")
if penalty > now then return penalty - now end
local last = redis.call("zrevrange", key, 0, 0, "withscores")
if last[2] and now - tonumber(last[2]) < interval then return interval - (now - tonumber(last[2])) end
if redis.call("zcount", key, now - 60000, "+inf") + cost > perMinute then
  local oldest = redis.call("zrangebyscore", key, now - 60000, "+inf", "withscores", "limit", 0, 1)
  return tonumber(oldest[2]) + 60000 - now + 1
end
if redis.call("zcard", key) + cost > perHour then
  local oldest = redis.call("zrange", key, 0, 0, "withscores")
  return tonumber(oldest[2]) + 3600000 - now + 1
end
for i = 1, cost do redis.call("zadd", key, now, member .. ":" .. i) end
redis.call("pexpire", key, 3600000)
return 0`;

export function createRedisWriteLimiter(client: Redis, clock: Clock, key: string, budget: Partial<WriteBudget> = {}): WriteLimiter {
  const limits = { ...DEFAULT_WRITE_BUDGET, ...budget };
  let sequence = 0;
  return {
    async acquire(cost = 1) {
      // A single request larger than a window's budget waits for an empty window, not forever.
      const units = Math.max(1, Math.min(cost, limits.perMinute, limits.perHour));
      for (;;) {
        const member = `${process.pid}:${(sequence += 1)}:${Math.random().toString(36).slice(2)}`;
        const wait = Number(await client.eval(TAKE, 2, key, `${key}:penalty`, clock.now(), limits.minWriteIntervalMs, limits.perMinute, limits.perHour, member, units));
        if (wait <= 0) return;
        await clock.sleep(wait);
      }
    },
    penalize(untilMs) {
      void client.set(`${key}:penalty`, String(untilMs), "PX", Math.max(1, untilMs - clock.now()));
    },
  };
}
