/**
 * Time enters Architect only through a Clock, so the sandbox can run the same code on
 * a compressed timeline (benchmarks of rate limits) or a manual one (tests of timeouts).
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolve after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** Call `fn` after `ms` of this clock's time; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /**
   * How many of this clock's milliseconds pass per wall-clock millisecond (1 when absent).
   * Code that must wait on wall-clock timers it does not own (Bottleneck's) divides its
   * timings by it.
   */
  readonly speed?: number;
}

/** Wall-clock time. */
export const realClock: Clock = {
  speed: 1,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

/**
 * A clock that runs `speed` times faster than real time, starting at `start`.
 * With speed 1000 a minute of GitHub's rate-limit windows passes in 60 ms.
 */
export function scaledClock(speed: number, start = Date.UTC(2026, 0, 1)): Clock {
  const realStart = Date.now();
  const now = () => start + (Date.now() - realStart) * speed;
  /**
   * Calls `fn` once `now()` has reached `due`. Node truncates fractional delays and its
   * timers may fire a millisecond before `Date.now()` agrees, which at 300× is a third of a
   * sandbox second early (a "retry-after: 2" wait seen to end after 1.5 s); so the wait is
   * rounded up and resumed until the scaled clock is there.
   */
  const at = (due: number, fn: () => void, unref: boolean) => {
    let handle: ReturnType<typeof setTimeout>;
    const schedule = () => {
      handle = setTimeout(check, Math.max(0, Math.ceil((due - now()) / speed)));
      if (unref) handle.unref?.();
    };
    const check = () => (now() >= due ? fn() : schedule());
    schedule();
    return () => clearTimeout(handle);
  };
  return {
    speed,
    now,
    sleep: (ms) => new Promise((resolve) => void at(now() + Math.max(0, ms), () => resolve(), false)),
    setTimer: (ms, fn) => at(now() + Math.max(0, ms), fn, true),
  };
}
