import type { Clock } from "../shared/clock.js";
import type { Logger } from "./logger.js";
import type { Lease } from "./reconcile-queue.js";

/** Tries for one command (first included) before it is given up and logged. */
const COMMAND_ATTEMPTS = 3;
/** The command lease outlives the slowest planner call (its timeout is two minutes by default). */
const COMMAND_LEASE_TTL_MS = 600_000;
const COMMAND_LEASE_RETRY_MS = 1_000;

export interface CommandRunnerOptions {
  clock: Clock;
  lease: Lease;
  log: () => Logger;
  isStopped: () => boolean;
  /** First wait before a failed command is tried again; it grows with each attempt. */
  retryAfterMs: number;
}

/**
 * Runs `/architect` commands of one repository one at a time, everywhere:
 * - in this process, a chain per repository (commands read-modify-write the control record);
 * - across replicas, a lease: GitHub may deliver one command to two replicas (a redelivery,
 *   a load balancer), and both would find no control record and write one; the second waits
 *   for the first, then finds its answer and does nothing;
 * - with retries: a command is an edge (GitHub got its 2xx and will not resend it), so a
 *   failure past the request policy's own retries is retried here. Handling is idempotent
 *   (reply markers, handled command ids), so a retry after partial progress repeats nothing.
 */
export function createCommandRunner(options: CommandRunnerOptions) {
  const chains = new Map<string, Promise<void>>();

  async function withRetries(work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= COMMAND_ATTEMPTS || options.isStopped()) throw error;
        options.log().warn({ err: error, attempt }, "command failed; retrying");
        await options.clock.sleep(options.retryAfterMs * attempt);
      }
    }
  }

  async function underLease(repoKey: string, work: () => Promise<void>): Promise<void> {
    const key = `commands:${repoKey}`;
    while (!(await options.lease.acquire(key, COMMAND_LEASE_TTL_MS).catch(() => false))) {
      if (options.isStopped()) return;
      await options.clock.sleep(COMMAND_LEASE_RETRY_MS);
    }
    try {
      await work();
    } finally {
      await options.lease.release(key).catch(() => {});
    }
  }

  return {
    /** Run `work` for the repository `repoKey` (`<installation>:<owner>/<repo>`) after its earlier commands. */
    run(repoKey: string, work: () => Promise<void>): Promise<void> {
      const next = (chains.get(repoKey) ?? Promise.resolve()).then(
        () => underLease(repoKey, () => withRetries(work)),
        () => underLease(repoKey, () => withRetries(work)),
      );
      chains.set(repoKey, next.catch(() => {}));
      return next;
    },
  };
}
