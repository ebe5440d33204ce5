import { describe, expect, it } from "vitest";
import { scaledClock } from "../../src/shared/clock.js";

// At 300× a sandbox second is 3.3 wall ms; Node's timers truncate and may fire a little early.
describe("scaledClock", () => {
  it("never ends a sleep before its time on the scaled clock", async () => {
    const clock = scaledClock(300);
    const short: number[] = [];
    for (let i = 0; i < 60; i++) {
      const before = clock.now();
      await clock.sleep(2_000);
      const slept = clock.now() - before;
      if (slept < 2_000) short.push(slept);
    }
    expect(short).toEqual([]);
  });

  it("fires a timer no earlier than its time, and not at all once cancelled", async () => {
    const clock = scaledClock(300);
    const fired: number[] = [];
    const start = clock.now();
    clock.setTimer(1_000, () => fired.push(clock.now() - start));
    const cancel = clock.setTimer(500, () => fired.push(-1));
    cancel();
    await clock.sleep(3_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(1_000);
  });
});
