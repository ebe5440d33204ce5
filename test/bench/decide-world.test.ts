import { describe, expect, it } from "vitest";
import { decideMakespan } from "../../bench/makespan/decide-world.js";
import type { SimTask } from "../../bench/makespan/sim-task.js";

const t = (key: string, duration: number, dependsOn: string[] = []): SimTask => ({ key, duration, estimate: duration, dependsOn });

describe("decideMakespan (decide pass by pass, durations in hours)", () => {
  it.each<[string, SimTask[], number, boolean, number]>([
    // one at a time whatever decide does: 2 + 4 + 1
    ["a chain", [t("a", 2), t("b", 4, ["a"]), t("c", 1, ["b"])], 3, false, 7],
    // cap 2. a(3) b(3) c(1) → d(6). decide starts c and a. At 1 c's run ends; the pass that merges c
    // starts nothing, so the next pass sees d ready and gives it the slot (1–7) → 7, the pure schedule.
    // (Before decide held starts in a merging pass, b took the slot and d finished at 9.)
    ["the hidden chain, as shipped", [t("a", 3), t("b", 3), t("c", 1), t("d", 6, ["c"])], 2, false, 7],
    // the bench's what-if switch (holding dispatches in a merging pass) now changes nothing
    ["the hidden chain, no dispatch in a merging pass", [t("a", 3), t("b", 3), t("c", 1), t("d", 6, ["c"])], 2, true, 7],
    // independent tasks, longest first: a and b 0–3, c 3–5 → 5 (the optimum: two 3s cannot share an agent)
    ["independent tasks", [t("a", 3), t("b", 3), t("c", 2)], 2, false, 5],
  ])("%s", (_name, tasks, cap, deferDispatchOnMerge, hours) => {
    expect(decideMakespan(tasks, cap, { deferDispatchOnMerge })).toBe(hours);
  });
});
