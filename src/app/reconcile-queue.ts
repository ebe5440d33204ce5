import type { Clock } from "../shared/clock.js";

/**
 * Serialises and coalesces reconciles per key (one key = one milestone).
 *
 * - At most one reconcile per key runs at a time in this process; a lease (Redis when
 *   several replicas run) extends that across processes.
 * - Requests that arrive while a key is queued are absorbed; requests that arrive while
 *   it runs mark it dirty, and it runs exactly once more afterwards. A burst of N webhooks
 *   therefore costs at most two reconciles, not N.
 * - A short debounce lets the webhooks of one GitHub action (say, a merge: pull_request,
 *   issues.closed, push, check_suite) land before the snapshot is read. It is trailing:
 *   each request while the key waits moves the read to `debounceMs` after it, but never
 *   later than `maxDebounceMs` after the first (default four debounces), so a steady
 *   stream of webhooks cannot starve the milestone.
 * - The run after a dirty one waits a debounce too, so the webhooks that arrived while the
 *   first ran, and those right behind them, are read once.
 */
export interface Lease {
  /** Try to hold `key` for `ttlMs`; false when another replica holds it. */
  acquire(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** Single-process lease: the in-process queue already serialises. */
export const localLease: Lease = {
  acquire: async () => true,
  release: async () => {},
};

export interface QueueOptions {
  clock: Clock;
  debounceMs: number;
  /** The latest a read waits after the first request of a burst (default 4 × debounceMs). */
  maxDebounceMs?: number;
  /** Global cap on concurrent reconciles across keys. */
  concurrency: number;
  lease: Lease;
  leaseTtlMs: number;
  /** When another replica holds the lease, ask again after this long. */
  leaseRetryMs: number;
  onError: (key: string, error: unknown) => void;
}

/** scheduled: the debounce timer is pending; waiting: queued for a free slot; running. */
type Slot = { state: "scheduled" | "waiting" | "running"; dirty: boolean; firstAt: number; dueAt: number; cancel: () => void };

export class ReconcileQueue<K extends string> {
  private readonly slots = new Map<K, Slot>();
  private readonly work = new Map<K, () => Promise<void>>();
  private running = 0;
  private readonly waiting: K[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: QueueOptions) {}

  /** Ask for `run` to happen for `key` soon; returns at once. The latest `run` for a key wins. */
  request(key: K, run: () => Promise<void>): void {
    this.work.set(key, run);
    const slot = this.slots.get(key);
    if (slot?.state === "scheduled") return this.extend(key, slot);
    if (slot?.state === "waiting") return;
    if (slot?.state === "running") {
      slot.dirty = true;
      return;
    }
    this.schedule(key);
  }

  private schedule(key: K): void {
    const now = this.options.clock.now();
    const slot: Slot = { state: "scheduled", dirty: false, firstAt: now, dueAt: now + this.options.debounceMs, cancel: () => {} };
    this.slots.set(key, slot);
    slot.cancel = this.options.clock.setTimer(this.options.debounceMs, () => this.enqueue(key, slot));
  }

  /** Trailing debounce: move the read to a debounce after this request, within the cap. */
  private extend(key: K, slot: Slot): void {
    const now = this.options.clock.now();
    const cap = slot.firstAt + (this.options.maxDebounceMs ?? 4 * this.options.debounceMs);
    const due = Math.min(now + this.options.debounceMs, cap);
    if (due <= slot.dueAt) return;
    slot.cancel();
    slot.dueAt = due;
    slot.cancel = this.options.clock.setTimer(due - now, () => this.enqueue(key, slot));
  }

  /** Resolves when nothing is scheduled or running. */
  idle(): Promise<void> {
    if (this.slots.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pending(): number {
    return this.slots.size;
  }

  /** A request for `key` came in while it runs: it will run once more right after. */
  runsAgain(key: K): boolean {
    const slot = this.slots.get(key);
    return slot?.state === "running" && slot.dirty;
  }

  private enqueue(key: K, slot: Slot): void {
    if (this.slots.get(key) !== slot || slot.state !== "scheduled") return;
    slot.state = "waiting";
    this.waiting.push(key);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const key = this.waiting.shift() as K;
      this.running += 1;
      void this.runKey(key).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async runKey(key: K): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.state = "running";
    const held = await this.options.lease.acquire(key, this.options.leaseTtlMs).catch(() => false);
    if (!held) {
      // Another replica is reconciling this milestone; look again a little later.
      this.slots.delete(key);
      const run = this.work.get(key) as () => Promise<void>;
      this.options.clock.setTimer(this.options.leaseRetryMs, () => this.request(key, run));
      this.settle();
      return;
    }
    try {
      slot.dirty = false;
      await (this.work.get(key) as () => Promise<void>)().catch((error) => this.options.onError(key, error));
    } finally {
      await this.options.lease.release(key).catch(() => {});
      this.slots.delete(key);
      // Asked again while it ran: one more run, after a debounce of its own.
      if (slot.dirty) this.schedule(key);
      else this.settle();
    }
  }

  private settle(): void {
    if (this.slots.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
