import { describe, expect, it } from "vitest";
import { architectPolicy, barrierPolicy, fifoPolicy, type PolicyFactory } from "../../bench/makespan/policies.js";
import type { SimTask } from "../../bench/makespan/sim-task.js";
import { simulate, type SchedulerPolicy } from "../../bench/makespan/simulate.js";

/** Tiny DAGs whose schedules are worked out by hand in the comments. */
const t = (key: string, duration: number, dependsOn: string[] = []): SimTask => ({ key, duration, estimate: duration, dependsOn });

// cap 2. a(3) b(3) c(1) → d(6).
// architect: c has the longest path (7) so it goes first with a; d starts at 1, ends at 7; b runs 3–6 → 7.
// fifo: a and b come first in plan order (0–3), c 3–4, d 4–10 → 10.
// barrier: level 1 = a, b, c (a, b 0–3, c 3–4), level 2 = d 4–10 → 10.
const hiddenChain = [t("a", 3), t("b", 3), t("c", 1), t("d", 6, ["c"])];

// cap 2. a(1) → c(1); b(5).
// fifo and architect: a, b at 0; c 1–2 while b runs → 5.
// barrier: c waits for the whole first level (b ends at 5) → 6.
const barrierHurts = [t("a", 1), t("b", 5), t("c", 1, ["a"])];

// cap 2. Fan: s1 s2 s3 (3 each) → j(1) → u1 u2 u3 (3 each).
// Every scheduler: two of the stage run 0–3, the third 3–6, j 6–7, then 7–10 and 10–13 → 13.
const fan = [t("s1", 3), t("s2", 3), t("s3", 3), t("j", 1, ["s1", "s2", "s3"]), t("u1", 3, ["j"]), t("u2", 3, ["j"]), t("u3", 3, ["j"])];

// cap 3, a plain chain: one task at a time whatever the cap → 2 + 4 + 1.
const chain = [t("a", 2), t("b", 4, ["a"]), t("c", 1, ["b"])];

describe("simulate", () => {
  it.each<[string, SimTask[], number, PolicyFactory, number]>([
    ["architect, hidden chain", hiddenChain, 2, architectPolicy, 7],
    ["fifo, hidden chain", hiddenChain, 2, fifoPolicy, 10],
    ["barrier, hidden chain", hiddenChain, 2, barrierPolicy, 10],
    ["architect, barrier hurts", barrierHurts, 2, architectPolicy, 5],
    ["fifo, barrier hurts", barrierHurts, 2, fifoPolicy, 5],
    ["barrier, barrier hurts", barrierHurts, 2, barrierPolicy, 6],
    ["architect, fan", fan, 2, architectPolicy, 13],
    ["fifo, fan", fan, 2, fifoPolicy, 13],
    ["barrier, fan", fan, 2, barrierPolicy, 13],
    ["architect, chain", chain, 3, architectPolicy, 7],
    ["barrier, chain", chain, 3, barrierPolicy, 7],
  ])("%s: makespan %#", (_name, tasks, cap, policy, makespan) => {
    expect(simulate(tasks, cap, policy(tasks)).makespan).toBe(makespan);
  });

  it("records the hand-worked architect schedule on the hidden chain", () => {
    const { schedule } = simulate(hiddenChain, 2, architectPolicy(hiddenChain));
    expect(schedule).toEqual([
      { key: "c", start: 0, end: 1 },
      { key: "a", start: 0, end: 3 },
      { key: "d", start: 1, end: 7 },
      { key: "b", start: 3, end: 6 },
    ]);
  });

  it("architect follows estimates, not true durations: a wrong estimate costs time", () => {
    // Exact: c's chain (1 + 6) goes first, with a: c 0–1, d 1–7, a 0–3, b 3–6 → 7.
    const exact = [t("a", 3), t("b", 3), t("c", 1), t("d", 6, ["c"])];
    expect(simulate(exact, 2, architectPolicy(exact)).makespan).toBe(7);
    // a and b claim 9: a's priority beats c's chain (7); the lookahead still starts c beside a
    // (on those estimates that finishes at 15 rather than 16), but b takes the slot c frees:
    // a 0–3, c 0–1, b 1–4, d 3–9 → 9.
    const misled = exact.map((x) => (x.key === "a" || x.key === "b" ? { ...x, estimate: 9 } : x));
    expect(simulate(misled, 2, architectPolicy(misled)).makespan).toBe(9);
  });

  it.each<[string, SchedulerPolicy, RegExp]>([
    ["starts a task that is not ready", () => ["b"], /not ready/],
    ["goes over the cap", ({ ready }) => ready.map((r) => r.task.key), /over the cap/],
    ["starts nothing", () => [], /deadlock/],
  ])("rejects a policy that %s", (_name, policy, message) => {
    const tasks = [t("a", 1), t("b", 1, ["a"]), t("c", 1), t("d", 1)];
    expect(() => simulate(tasks, 2, policy)).toThrow(message);
  });
});
