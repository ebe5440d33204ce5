import type { Clock } from "../../shared/clock.js";

/**
 * Actor timers on the sandbox clock, counted so `sandbox.idle()` can wait until scripted
 * participants have nothing left to do.
 */
export class ActorTimers {
  private readonly cancels = new Set<() => void>();
  private active = 0;

  constructor(private readonly clock: Clock) {}

  /** Run `fn` after `ms` sandbox milliseconds. Errors are reported, never thrown into the clock. */
  after(ms: number, fn: () => void, onError: (error: unknown) => void): void {
    this.active++;
    const cancel = this.clock.setTimer(ms, () => {
      this.cancels.delete(cancel);
      this.active--;
      try {
        fn();
      } catch (error) {
        onError(error);
      }
    });
    this.cancels.add(cancel);
  }

  pending(): number {
    return this.active;
  }

  cancelAll(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    this.active = 0;
  }
}
