import type { RunFacts } from "../core/decide/snapshot.js";
import type { Clock } from "../shared/clock.js";

/**
 * What Architect knows about its workflow runs, per repository, so a reconcile need not
 * list runs again: every `workflow_run` webhook (requested, in_progress, completed) carries
 * the whole run, and a REST list primes the ledger after a start or when it is too old.
 *
 * The ledger can only vouch for runs while it is fresh: a webhook can be lost, so a list
 * older than `freshForMs` no longer counts and the next snapshot lists again. Decisions
 * that act on a run's outcome (retries, review runs, re-sends, cancels, "failed") are
 * checked against a fresh list before they are written (see `reconcile.ts`), so a missed
 * webhook can delay work but never duplicate it.
 */
export interface RunLedger {
  /**
   * The repository's Architect runs, or null when the ledger cannot vouch for them (never
   * listed, or listed too long ago). `createdSince`: the caller only wants runs created at
   * or after this time; a ledger that has heard every webhook since before then can vouch
   * for those without a list, within the same freshness window.
   */
  runs(repo: string, options?: { createdSince?: number }): Promise<RunFacts[] | null>;
  /**
   * Runs from a REST list read at `listedAt`; they merge in (newer facts win) and restart
   * the freshness window. `coversSince`: the list held only runs created at or after this
   * time (GitHub's `created` filter), so it vouches only for callers asking for runs
   * created since then or later; omitted, it covered every run.
   */
  primed(repo: string, runs: readonly RunFacts[], listedAt: number, coversSince?: number): Promise<void>;
  /** One run as a webhook reported it. */
  record(repo: string, run: RunFacts): Promise<void>;
}

/** Fifteen minutes: a lost webhook delays a decision at most this long (plus the next look). */
export const RUN_LEDGER_FRESH_MS = 15 * 60_000;
/** Runs kept per repository; older ones belong to finished work (a milestone's runs are recent). */
export const RUN_LEDGER_MAX_RUNS = 1_000;

const STATUS_ORDER: Record<RunFacts["status"], number> = { requested: 0, queued: 1, pending: 1, waiting: 2, in_progress: 3, completed: 4 };

/**
 * Total order on two reports of the same run: the later update wins; at the same
 * timestamp the further status does (a run does not go back from completed to queued
 * without a re-run, which bumps `updated_at`).
 */
export function runRank(run: RunFacts): number {
  // A status GitHub adds later ranks as a waiting one: never above a finished report.
  return run.updatedAt * 8 + (STATUS_ORDER[run.status] ?? STATUS_ORDER.waiting);
}

/** Whichever of two reports of one run is newer. */
export function newerRun(known: RunFacts | undefined, incoming: RunFacts): RunFacts {
  return known && runRank(known) > runRank(incoming) ? known : incoming;
}

/**
 * One process's ledger (the default; with several replicas the Redis ledger is shared).
 * It hears this process's webhooks from its creation on, so it vouches without a list for
 * runs created after that, e.g. those of a milestone planned since the process started.
 */
export function createMemoryRunLedger(clock: Clock, options: { freshForMs?: number; maxRuns?: number } = {}): RunLedger {
  const freshForMs = options.freshForMs ?? RUN_LEDGER_FRESH_MS;
  const maxRuns = options.maxRuns ?? RUN_LEDGER_MAX_RUNS;
  const listeningSince = clock.now();
  // Per repository: the runs, and when each window (runs created since `since`) was last listed.
  const repos = new Map<string, { runs: Map<number, RunFacts>; listings: Map<number, number> }>();
  const entry = (repo: string) => {
    let found = repos.get(repo);
    if (!found) repos.set(repo, (found = { runs: new Map(), listings: new Map() }));
    return found;
  };
  const put = (repo: string, run: RunFacts) => {
    const { runs } = entry(repo);
    runs.set(run.id, newerRun(runs.get(run.id), run));
    if (runs.size > maxRuns) {
      const oldest = [...runs.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id).slice(0, runs.size - maxRuns);
      for (const run of oldest) runs.delete(run.id);
    }
  };
  return {
    async runs(repo, { createdSince } = {}) {
      const found = repos.get(repo);
      const wanted = createdSince ?? Number.NEGATIVE_INFINITY;
      // Hearing every webhook since creation counts as an empty list taken then, for newer runs.
      let listedAt = wanted >= listeningSince ? listeningSince : Number.NEGATIVE_INFINITY;
      for (const [since, at] of found?.listings ?? []) {
        if (clock.now() - at > freshForMs) found?.listings.delete(since);
        else if (since <= wanted) listedAt = Math.max(listedAt, at);
      }
      if (clock.now() - listedAt > freshForMs) return null;
      return [...(found?.runs.values() ?? [])];
    },
    async primed(repo, runs, listedAt, coversSince = Number.NEGATIVE_INFINITY) {
      for (const run of runs) put(repo, run);
      const { listings } = entry(repo);
      listings.set(coversSince, Math.max(listings.get(coversSince) ?? listedAt, listedAt));
    },
    async record(repo, run) {
      put(repo, run);
    },
  };
}
