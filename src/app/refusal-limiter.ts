/** One hour, the window of the repository-wide cap. */
const HOUR_MS = 60 * 60 * 1000;

/**
 * The repository-wide cap on refusals per hour (`commands.refusals_per_hour`), so a crowd of
 * strangers cannot make Architect write an answer to every command. Kept in memory, per
 * process: bounded by construction (at most `perHour` times per repository, dropped after
 * an hour), at the price that a restart or each replica allows up to `perHour` more in that
 * hour. The per-person, per-issue rule that does most of the work is read from GitHub
 * (core/commands/refusals.ts) and survives restarts.
 */
export interface RefusalLimiter {
  /** Take one refusal for `repo` at `now`; false when the repository used up its hour. */
  tryTake(repo: string, now: number, perHour: number): boolean;
}

export function createRefusalLimiter(): RefusalLimiter {
  const recent = new Map<string, number[]>();
  return {
    tryTake(repo, now, perHour) {
      for (const [key, times] of recent) {
        const kept = times.filter((t) => now - t < HOUR_MS);
        if (kept.length === 0) recent.delete(key);
        else recent.set(key, kept);
      }
      const times = recent.get(repo) ?? [];
      if (times.length >= perHour) return false;
      recent.set(repo, [...times, now]);
      return true;
    },
  };
}
