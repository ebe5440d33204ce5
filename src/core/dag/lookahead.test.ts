import { describe, expect, it } from "vitest";
import { lookaheadPicks, preferPicks, type LookaheadInput } from "./lookahead.js";
import { remainingPathPriority } from "./schedule.js";

const task = (key: string, estimate: number, dependsOn: string[] = []) => ({ key, estimate, dependsOn });

/**
 * a 2h, b 4h, c 4h after a, d 6h, two agents. The list schedule starts a and d (paths of
 * 6) and ends at 10: b and c run one after the other behind them. Starting b with a lets
 * c follow a while d fills the gap: 8, the work ÷ 2 bound.
 */
const joinGap = [task("a", 2), task("b", 4), task("c", 4, ["a"]), task("d", 6)];

function input(tasks: ReturnType<typeof task>[], over: Partial<LookaheadInput> = {}): LookaheadInput {
  const finished = over.finished ?? new Set<string>();
  return {
    tasks,
    finished,
    running: [],
    ready: tasks.filter((t) => !finished.has(t.key) && t.dependsOn.every((d) => finished.has(d))).map((t) => t.key),
    priority: remainingPathPriority(tasks, finished),
    order: new Map(tasks.map((t, i) => [t.key, i])),
    capacity: 2,
    ...over,
  };
}

describe("lookaheadPicks", () => {
  it.each<{ name: string; input: LookaheadInput; picks: string[] }>([
    { name: "starts b beside a when a and d would leave b and c in a queue", input: input(joinGap), picks: ["b", "a"] },
    { name: "without lookahead (width 1) is the list schedule: a and d", input: input(joinGap, { width: 1 }), picks: ["a", "d"] },
    { name: "keeps priority order, then plan order, when nothing finishes earlier", input: input([task("x", 3), task("y", 3), task("z", 3)]), picks: ["x", "y"] },
    { name: "fills only the slots the running tasks leave", input: input(joinGap, { running: [{ key: "d", remaining: 5 }], ready: ["a", "b"] }), picks: ["a"] },
    { name: "starts nothing when the running tasks hold every slot", input: input(joinGap, { running: [{ key: "a", remaining: 1 }, { key: "d", remaining: 1 }], ready: ["b"] }), picks: [] },
    { name: "counts finished dependencies as met", input: input(joinGap, { finished: new Set(["a"]), capacity: 1 }), picks: ["d"] },
    { name: "picks among the ready only, never more than there are", input: input([task("x", 1), task("y", 2, ["x"])], { capacity: 3 }), picks: ["x"] },
  ])("$name", ({ input: given, picks }) => {
    expect(lookaheadPicks(given)).toEqual(picks);
  });

  // One slot free; w holds the other. By priority b (6h) goes first, then a (4h), c (3h).
  const besideW = [task("w", 30), task("a", 4), task("b", 6), task("c", 3)];
  it.each([
    // w frees its slot at 1h: a 0–4, b 1–7, c 4–7 → 7 (b first: a 1–5, c 5–8 → 8).
    { remaining: 1, picks: ["a"] },
    // w holds its slot until 8h: b first ends at 11 like a first, so priority decides.
    { remaining: 8, picks: ["b"] },
  ])("keeps a running task's slot busy for its remaining time: $remaining h left → $picks", ({ remaining, picks }) => {
    expect(lookaheadPicks(input(besideW, { running: [{ key: "w", remaining }], ready: ["a", "b", "c"] }))).toEqual(picks);
  });
});

describe("preferPicks", () => {
  it("puts the picks above every other task in their order and leaves the rest", () => {
    const priority = new Map([["a", 6], ["b", 4], ["d", 6]]);
    const preferred = preferPicks(["b", "a"], priority);
    expect([...preferred.entries()].sort((x, y) => y[1] - x[1]).map(([k]) => k)).toEqual(["b", "a", "d"]);
    expect(preferred.get("d")).toBe(6);
    expect(preferPicks([], priority)).toEqual(priority);
  });
});
