import { describe, expect, it } from "vitest";
import { planMilestone, type PlanningInput } from "../../src/app/planning.js";
import { defaultConfig } from "../../src/core/config/config-schema.js";
import { makeControl, makeIssue, makeSnapshot, makeTask, planTask, REQUESTER } from "../../src/core/decide/test-builders.js";
import type { GitHubGateway } from "../../src/github/gateway.js";
import { createMarkdownPlanner } from "../../src/planners/markdown-planner.js";

/** planMilestone with the markdown planner: no comments to check, so the gateway is never called. */
function input(body: string, over: Partial<PlanningInput> = {}): PlanningInput {
  return {
    gateway: {} as GitHubGateway,
    config: defaultConfig(),
    planners: () => ({ markdown: createMarkdownPlanner() }),
    botLogin: "architect[bot]",
    snapshot: makeSnapshot({ controlValue: null, milestone: makeIssue(1, { title: "M", body, author: REQUESTER }) }),
    comments: [],
    trigger: { commentId: 7, author: REQUESTER, createdAt: 0 },
    replan: false,
    ...over,
  };
}

describe("the could-not-plan comment", () => {
  const body = [
    "Intro", //                        1
    "## Tasks", //                     2
    "- [ ] `a`", //                    3  no title
    "  - after: b", //                 4  cycle a → b → a
    "  - colour: red", //              5  unknown attribute
    "- [ ] `b` B", //                  6
    "  - after: a", //                 7
    "  - agent: nobody", //            8  unknown agent
    "  - scope: `../secrets/**`", //   9  leaves the repository
    "- [ ] `b` Again", //              10 duplicate key
  ].join("\n");

  it("lists parse and validation problems together, each once, each with its line", async () => {
    const outcome = await planMilestone(input(body));
    expect(outcome.ok).toBe(false);
    const message = outcome.message;
    expect(message).toMatch(/^\*\*Architect could not plan this milestone\.\*\* Nothing was created\./);
    const problems = message.split("\n").filter((l) => l.startsWith("  - "));
    expect(problems.map((l) => /`line (\d+)`/.exec(l)?.[1])).toEqual(["3", "4", "5", "8", "9", "10"]);
    for (const [line, text] of [
      [3, "task `a` has no title"],
      [4, "cycle: a → b → a"],
      [5, 'unknown attribute "colour"'],
      [8, 'unknown agent "nobody"'],
      [9, 'scope "../secrets/**" of "b" leaves the repository'],
      [10, 'duplicate key "b" (first used by line 6)'],
    ] as const) {
      expect(message.split(text).length - 1, `${text} once`).toBe(1);
      expect(problems.find((l) => l.includes(text))).toContain(`\`line ${line}\``);
    }
    expect(message).toContain("- **markdown**: the task list is invalid:");
  });
});

describe("the replan answer", () => {
  /** Tasks a (done), b (running) and c (not started) planned before; the list now holds `keys`. */
  function replan(keys: string[]) {
    const body = ["## Tasks", ...keys.map((k) => `- [ ] \`${k}\` Task ${k}`)].join("\n");
    const snapshot = makeSnapshot({
      controlValue: makeControl([planTask("a"), planTask("b"), planTask("c")]),
      milestone: makeIssue(1, { title: "M", body, author: REQUESTER }),
      tasks: [makeTask(2, "a", { issue: { state: "closed" } }), makeTask(3, "b", { claimed: true }), makeTask(4, "c")],
    });
    return planMilestone(input(body, { snapshot, replan: true }));
  }

  it("says nothing is created when no task is added, and calls a running task started, not done", async () => {
    const outcome = await replan(["a", "b", "c"]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.message).toBe("Planned 3 tasks with `markdown`. No new sub-issues are needed.");
    expect(outcome.body).toContain("Done tasks are never changed or reopened: `a`.");
    expect(outcome.body).toContain("Started tasks keep their plan while their work is under way: `b`.");
  });

  it("counts what it creates and closes", async () => {
    const outcome = await replan(["a", "b", "d", "e"]);
    expect(outcome.ok && outcome.message).toBe("Planned 4 tasks with `markdown`. Creating 2 new sub-issues now. Closing 1 removed task as not planned.");
  });
});
