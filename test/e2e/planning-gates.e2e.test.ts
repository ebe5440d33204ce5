import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import type { Plan } from "../../src/core/plan/plan-schema.js";
import { taskOutcomes } from "../../src/harness/run-milestone.js";
import type { Stack } from "../../src/harness/stack.js";
import type { Issue } from "../../src/sandbox/emulator/model.js";
import type { FakeLlmStep } from "../../src/sandbox/fake-llm/fake-llm.js";
import { dispatchedBeforeDependencies, duplicates, worldFacts } from "./invariants.js";
import { botComments, plannedTask as task, useModelStack } from "./planning-support.js";

/**
 * The two human gates around model planning, through the whole app: plan approval
 * (`approval.plan: required`) and the budget (`budget.usd`). Both hold until someone
 * with write access comments `/architect approve`, and nothing else lifts them.
 */

const model = useModelStack();

const plan: Plan = { rationale: "A first, then B and C in parallel.", tasks: [task("a", []), task("b", ["a"]), task("c", ["a"])] };

const MODEL = "fake-planner";
const modelConfig = (extra: string) =>
  `planner:\n  chain: [openai]\n  timeout_seconds: 30\n  openai: { model: ${MODEL} }\nprices:\n  ${MODEL}: { input_per_mtok: 2, output_per_mtok: 8 }\n${extra}`;

function startWithModel(script: FakeLlmStep[], repoConfig: string): Promise<Stack> {
  return model.start(script, (llm) => ({ repoConfig, env: { OPENAI_BASE_URL: llm.openaiBaseUrl } }));
}

const controlBody = (issue: Issue) => botComments(issue).find((c) => decodeMarker("control", c.body) !== null)?.body ?? "";
const statusBody = (issue: Issue) => botComments(issue).find((c) => decodeMarker("status", c.body) !== null)?.body ?? "";
const repliesTo = (issue: Issue) => botComments(issue).filter((c) => decodeMarker("reply", c.body) !== null).map((c) => c.body);
const allMerged = (issue: Issue) => {
  const tasks = taskOutcomes(issue);
  return tasks.length === 3 && tasks.every((t) => t.merged && t.state === "done");
};

describe("plan approval and the budget gate", () => {
  it("waits for /architect approve from someone with write access before creating sub-issues", async () => {
    const s = await startWithModel([{ kind: "plan", plan }], modelConfig("approval:\n  plan: required\n"));
    s.sandbox.state.setCollaborator(s.sandbox.repo, "reader", "read");
    const milestone = s.openMilestone("Three tasks", "Build a, then b and c.");
    s.comment(milestone, "/architect plan");
    await s.waitFor(() => controlBody(milestone) !== "", 20_000);
    await s.settle(10_000);

    expect(controlBody(milestone)).toMatch(/Waiting for approval/);
    expect(controlBody(milestone)).toContain("```mermaid");
    expect(milestone.subIssues).toHaveLength(0);

    s.comment(milestone, "/architect approve", "reader");
    await s.waitFor(() => repliesTo(milestone).some((r) => /only people with write access/.test(r)), 10_000);
    await s.settle(10_000);
    expect(milestone.subIssues).toHaveLength(0);
    expect(decodeMarker("control", controlBody(milestone))?.approvedBy).toBeNull();
    expect(s.sandbox.repo.runs.size).toBe(0);

    s.comment(milestone, "/architect approve");
    expect(await s.waitFor(() => allMerged(milestone), 25_000)).toBe(true);
    expect(decodeMarker("control", controlBody(milestone))?.approvedBy).toBe("maintainer");
    expect(dispatchedBeforeDependencies(s.sandbox.repo, milestone)).toEqual([]);
    expect(duplicates(worldFacts(s.sandbox.repo, milestone))).toEqual([]);
    expect(model.llm.requests).toHaveLength(1);
  }, 45_000);

  it("holds every dispatch once planning spent the budget, until /architect approve", async () => {
    // 2,000 tokens in and 500 out at $2/$8 per million: $0.008, far past $0.000001.
    const s = await startWithModel([{ kind: "plan", plan, tokens: { input: 2000, output: 500 } }], modelConfig("budget:\n  usd: 0.000001\n"));
    const milestone = s.openMilestone("Three tasks", "Build a, then b and c.");
    s.comment(milestone, "/architect plan");
    await s.waitFor(() => milestone.subIssues.length === 3 && /Budget reached/.test(statusBody(milestone)), 20_000);
    await s.settle(10_000);

    expect(milestone.subIssues).toHaveLength(3);
    expect(s.sandbox.repo.runs.size).toBe(0);
    expect([...s.sandbox.repo.branches.keys()].filter((b) => b.startsWith("architect/"))).toEqual([]);
    expect(statusBody(milestone)).toMatch(/Budget reached \(\$0\.0080 of < \$0\.0001\)/);
    expect(statusBody(milestone)).toContain("2,000");

    s.comment(milestone, "/architect approve");
    expect(await s.waitFor(() => allMerged(milestone), 25_000)).toBe(true);
    expect(statusBody(milestone)).not.toMatch(/Budget reached/);
    expect(repliesTo(milestone).some((r) => /Budget raised: another < \$0\.0001 may be spent/.test(r))).toBe(true);
  }, 45_000);
});
