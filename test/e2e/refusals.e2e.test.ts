import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import type { Issue } from "../../src/sandbox/emulator/model.js";
import { botComments } from "./planning-support.js";

/**
 * Commands by people without write access are refused, but rationed (issue 10 §4): one
 * answer per person, issue and day, and a repository-wide cap per hour. Past either, the
 * command gets no answer, so a flood of commands cannot make Architect flood the issues.
 */

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

const refusals = (issue: Issue) =>
  botComments(issue).filter((c) => decodeMarker("reply", c.body)?.topic === "denied").map((c) => c.body);

async function commentAndSettle(s: Stack, issue: Issue, body: string, login: string): Promise<void> {
  s.comment(issue, body, login);
  await s.settle(30_000);
}

describe("refusals are rationed", () => {
  it("answers a stranger once per issue per day, however often they try", async () => {
    const s = (stack = await startStack({ actors: false }));
    const first = s.openMilestone("One", "Nothing to plan.");
    const second = s.openMilestone("Two", "Nothing to plan.");
    for (const command of ["/architect plan", "/architect approve", "/architect plan"]) await commentAndSettle(s, first, command, "stranger");
    await commentAndSettle(s, second, "/architect plan", "stranger");
    await commentAndSettle(s, first, "/architect plan", "other-stranger");

    expect(refusals(first)).toHaveLength(2);
    expect(refusals(first)[0]).toMatch(/^@stranger only people with write access/);
    expect(refusals(first)[1]).toMatch(/^@other-stranger only people with write access/);
    expect(refusals(second)).toHaveLength(1);
    expect(first.subIssues).toHaveLength(0);
  }, 120_000);

  it("stops answering once the repository's refusals for the hour are used up", async () => {
    const s = (stack = await startStack({ actors: false, repoConfig: "commands:\n  refusals_per_hour: 2\n" }));
    const issues = [1, 2, 3].map((n) => s.openMilestone(`Issue ${n}`, "Nothing to plan."));
    for (const [i, issue] of issues.entries()) await commentAndSettle(s, issue, "/architect plan", `stranger-${i}`);

    expect(issues.map((i) => refusals(i).length)).toEqual([1, 1, 0]);
  }, 120_000);
});
