import type { Redis } from "ioredis";
import type { RunFacts } from "../core/decide/snapshot.js";
import { RUN_LEDGER_FRESH_MS, RUN_LEDGER_MAX_RUNS, runRank, type RunLedger } from "../github/run-ledger.js";
import type { Clock } from "../shared/clock.js";

/**
 * The run ledger shared by replicas: webhooks land on any replica, so what one saw must be
 * what all know. One hash per repository (field = run id, value = `<rank>|<json>`), merged
 * in Lua so two replicas recording the same run keep the newer report; one key holds when
 * the repository's runs were last listed.
 */
const PUT_NEWER = `
local current = redis.call("hget", KEYS[1], ARGV[1])
if current then
  local rank = tonumber(string.match(current, "^([^|]+)|"))
  if rank and rank > tonumber(ARGV[2]) then return 0 end
end
redis.call("hset", KEYS[1], ARGV[1], ARGV[2] .. "|" .. ARGV[3])
redis.call("pexpire", KEYS[1], ARGV[4])
return redis.call("hlen", KEYS[1])`;

/** One field per listed window (runs created since ARGV[1]), holding when it was last listed. */
const RAISE_LISTED_AT = `
local current = tonumber(redis.call("hget", KEYS[1], ARGV[1]) or "0")
if tonumber(ARGV[2]) > current then redis.call("hset", KEYS[1], ARGV[1], ARGV[2]) end
redis.call("pexpire", KEYS[1], ARGV[3])
return 1`;

/** A repository nobody has touched for this long (uninstalled, renamed) leaves nothing behind. */
const KEEP_MS = 30 * 24 * 60 * 60_000;

export function createRedisRunLedger(client: Redis, clock: Clock, prefix: string, options: { freshForMs?: number; maxRuns?: number } = {}): RunLedger {
  const freshForMs = options.freshForMs ?? RUN_LEDGER_FRESH_MS;
  const maxRuns = options.maxRuns ?? RUN_LEDGER_MAX_RUNS;
  const runsKey = (repo: string) => `${prefix}runs:${repo}`;
  // A hash (window start → listed at); a new name, so a string key of an older version is never misread.
  const listedKey = (repo: string) => `${prefix}runs-listings:${repo}`;
  const prune = async (repo: string) => {
    const oldest = (await all(repo)).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id).slice(0, -maxRuns);
    if (oldest.length > 0) await client.hdel(runsKey(repo), ...oldest.map((r) => String(r.id)));
  };
  const put = async (repo: string, run: RunFacts) => {
    const size = Number(await client.eval(PUT_NEWER, 1, runsKey(repo), String(run.id), String(runRank(run)), JSON.stringify(run), String(KEEP_MS)));
    if (size > maxRuns) await prune(repo);
  };
  const all = async (repo: string): Promise<RunFacts[]> =>
    Object.values(await client.hgetall(runsKey(repo))).flatMap((value) => {
      try {
        return [JSON.parse(value.slice(value.indexOf("|") + 1)) as RunFacts];
      } catch {
        return []; // a damaged entry is forgotten; the next list brings the run back
      }
    });
  return {
    // `createdSince` is not used: one replica cannot know that every replica has been up
    // since then, so the shared ledger vouches only after a list.
    async runs(repo, { createdSince } = {}) {
      const wanted = createdSince ?? Number.NEGATIVE_INFINITY;
      const listings = await client.hgetall(listedKey(repo));
      const stale: string[] = [];
      let listedAt = 0;
      for (const [since, at] of Object.entries(listings)) {
        if (clock.now() - Number(at) > freshForMs) stale.push(since);
        else if (Number(since) <= wanted) listedAt = Math.max(listedAt, Number(at));
      }
      if (stale.length > 0) await client.hdel(listedKey(repo), ...stale);
      if (!listedAt || clock.now() - listedAt > freshForMs) return null;
      return all(repo);
    },
    async primed(repo, runs, listedAt, coversSince = Number.NEGATIVE_INFINITY) {
      for (const run of runs) await put(repo, run);
      // The listing stops vouching after freshForMs anyway; the key goes with the last one.
      await client.eval(RAISE_LISTED_AT, 1, listedKey(repo), String(coversSince), String(listedAt), String(Math.max(1, listedAt + freshForMs - clock.now() + 1)));
    },
    async record(repo, run) {
      await put(repo, run);
    },
  };
}
