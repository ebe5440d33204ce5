/**
 * The small statistics the sandbox figures need, kept pure so they can be checked on
 * hand-made numbers (the runs themselves are timed and never asserted on).
 */

/** Nearest-rank percentile (p in 0–100) of `values`; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** A request as the round-trip count sees it: when it arrived (sandbox ms) and how long it took (wall ms). */
export interface TimedRequest {
  at: number;
  durationMs: number;
}

/**
 * Sequential round trips in a run of requests: requests in flight at the same time count
 * once, because a caller waiting on both waits only as long as the slower. `speed` is how
 * many sandbox milliseconds pass per wall millisecond (the scaled clock's factor), since
 * arrival is stamped on the sandbox clock and duration on the wall clock.
 */
export function sequentialRoundTrips(requests: readonly TimedRequest[], speed: number): number {
  const sorted = [...requests].sort((a, b) => a.at - b.at);
  let waves = 0;
  let waveEnd = -Infinity;
  for (const r of sorted) {
    const end = r.at + r.durationMs * speed;
    if (r.at >= waveEnd) {
      waves++;
      waveEnd = end;
    } else waveEnd = Math.max(waveEnd, end);
  }
  return waves;
}

/** GitHub's documented secondary limits on content-creating requests. */
export interface ContentLimits {
  perMinute: number;
  perHour: number;
}

/**
 * The least time `count` content-creating requests take under the limits, in the form the
 * issue asks for: the per-minute limit as a throughput (count ÷ 80 minutes), and the
 * per-hour limit as a hard stop after every 500. Below 500 requests the hour limit never
 * binds (500 may all go within one hour), so the per-minute rate sets the pace.
 */
export function minimumTimeMs(count: number, limits: ContentLimits = { perMinute: 80, perHour: 500 }): number {
  if (count <= 0) return 0;
  return Math.max((count / limits.perMinute) * 60_000, Math.floor((count - 1) / limits.perHour) * 3_600_000);
}

/**
 * The least time `count` writes take when, besides the content limits, writes keep GitHub's
 * one second apart (its best practices ask for it; Architect's limiter keeps it): the
 * larger of `minimumTimeMs` and (count − 1) seconds. Below 80 writes the spacing binds.
 */
export function pacedMinimumTimeMs(count: number, minIntervalMs = 1000, limits: ContentLimits = { perMinute: 80, perHour: 500 }): number {
  if (count <= 0) return 0;
  return Math.max(minimumTimeMs(count, limits), (count - 1) * minIntervalMs);
}

/**
 * The strict minimum with sliding windows: the first 80 may go at once, request k waits
 * until minute floor(k ÷ 80) and hour floor(k ÷ 500). Zero for 80 or fewer, which is why
 * the ratio is taken against `minimumTimeMs`; both are reported.
 */
export function slidingWindowMinimumMs(count: number, limits: ContentLimits = { perMinute: 80, perHour: 500 }): number {
  if (count <= 0) return 0;
  return Math.max(Math.floor((count - 1) / limits.perMinute) * 60_000, Math.floor((count - 1) / limits.perHour) * 3_600_000);
}

/** Median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A figure that varies from run to run. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function spread(values: readonly number[]): Spread {
  return { min: values.length ? Math.min(...values) : NaN, median: median(values), max: values.length ? Math.max(...values) : NaN, runs: values.length };
}
