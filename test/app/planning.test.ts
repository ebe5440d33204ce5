import { describe, expect, it } from "vitest";
import { planMilestone, type PlanningInput } from "../../src/app/planning.js";
import { defaultConfig } from "../../src/core/config/config-schema.js";
import { makeIssue, makeSnapshot, REQUESTER } from "../../src/core/decide/test-builders.js";
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
