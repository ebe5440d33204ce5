import type { Clock } from "../../src/shared/clock.js";

/** A clock tests move by hand; timers fire in order when `advance` passes them. */
export class ManualClock implements Clock {
  private time: number;
  private timers: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }
  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  /** Move time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = target;
  }
  pending(): number {
    return this.timers.length;
  }
}
