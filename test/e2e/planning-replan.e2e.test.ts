import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import type { Plan } from "../../src/core/plan/plan-schema.js";
import { taskOutcomes } from "../../src/harness/run-milestone.js";
import type { Issue } from "../../src/sandbox/emulator/model.js";
import { duplicates, worldFacts } from "./invariants.js";
import { botComments, plannedTask as task, useModelStack } from "./planning-support.js";

/**
 * `/architect replan` on a half-done milestone, through the whole app: done work is never
 * touched, existing sub-issues are matched by key (never duplicated), dropped unstarted
 * tasks are closed as not planned, new ones are created, and with `approval.plan:
 * required` none of that happens before the new plan is approved.
 */

const model = useModelStack();

// a and b merge quickly; slow runs for hours, so c and d (blocked on it) have not started at replan time.
const first: Plan = { rationale: "First plan.", tasks: [task("a", []), task("b", []), task("slow", []), task("c", ["slow"]), task("d", ["slow"])] };
// The replan: c removed, d retitled, e added; it also tries to rewrite done a's body, which must not happen.
const second: Plan = {
  rationale: "Second plan.",
  tasks: [
    task("a", [], { body: "Rewritten body that must not reach a done task." }),
    task("b", []),
    task("slow", []),
    task("d", ["slow"], { title: "Build d, renamed" }),
    task("e", ["slow"]),
  ],
};

const repoConfig = [
  "planner:",
  "  chain: [openai]",
  "  timeout_seconds: 30",
  "  openai: { model: fake-planner }",
  "approval:",
  "  plan: required",
  "timeouts:",
  "  run_minutes: 1440",
].join("\n");

const controlBody = (issue: Issue) => botComments(issue).find((c) => decodeMarker("control", c.body) !== null)?.body ?? "";
const byKey = (issue: Issue) => new Map(issue.subIssues.map((i) => [decodeMarker("task", i.body)?.key ?? "", i]));
const mergedKeys = (issue: Issue) => taskOutcomes(issue).filter((t) => t.merged).map((t) => t.key).sort();

describe("replan on a half-done milestone", () => {
  it("keeps done tasks, matches issues by key, closes the dropped one, adds the new one, after approval", async () => {
    const s = await model.start([{ kind: "plan", plan: first }, { kind: "plan", plan: second }], (llm) => ({
      repoConfig,
      env: { OPENAI_BASE_URL: llm.openaiBaseUrl },
      actors: { agent: { byTask: { slow: [{ outcome: "success", durationMs: 20 * 60 * 60_000 }] } } },
    }));
    const milestone = s.openMilestone("Five tasks", "Build a, b, slow, then c and d.");
    s.comment(milestone, "/architect plan");
    await s.waitFor(() => controlBody(milestone) !== "", 20_000);
    s.comment(milestone, "/architect approve");
    expect(await s.waitFor(() => mergedKeys(milestone).join() === "a,b", 20_000)).toBe(true);
    await s.settle(1_500); // the slow run keeps an actor timer armed, so this only lets trailing writes land

    const before = byKey(milestone);
    const frozen = ["a", "b"].map((k) => {
      const issue = before.get(k)!;
      return { key: k, number: issue.number, body: issue.body, title: issue.title, state: issue.state };
    });
    expect(frozen.map((f) => f.state)).toEqual(["closed", "closed"]);
    const [cIssue, dIssue] = [before.get("c")!, before.get("d")!];
    expect([cIssue.state, dIssue.state]).toEqual(["open", "open"]);
    expect([...s.sandbox.repo.branches.keys()].filter((b) => b.startsWith(`architect/${cIssue.number}-`) || b.startsWith(`architect/${dIssue.number}-`))).toEqual([]);

    s.comment(milestone, "/architect replan");
    await s.waitFor(() => model.llm.requests.length === 2 && /Changes from the previous plan/.test(controlBody(milestone)), 20_000);
    await s.settle(1_500);

    // The diff is shown and nothing changes before the new plan is approved.
    const preview = controlBody(milestone);
    expect(preview).toMatch(/\*\*added:\*\* `e`/);
    expect(preview).toMatch(/\*\*removed\*\* \(closed as not planned\): `c`/);
    expect(preview).toMatch(/\*\*changed:\*\* `d` \(title\)/);
    expect(preview).toMatch(/Waiting for approval/);
    expect(cIssue.state).toBe("open");
    expect(byKey(milestone).has("e")).toBe(false);
    // The model was told which tasks must keep their keys.
    expect(JSON.stringify(model.llm.requests[1]!.body)).toMatch(/Tasks a, b, slow are done or running/);

    s.comment(milestone, "/architect approve");
    await s.waitFor(() => byKey(milestone).has("e") && cIssue.state === "closed" && dIssue.title === "Build d, renamed", 20_000);
    await s.settle(1_500);

    const after = byKey(milestone);
    expect([...after.keys()].sort()).toEqual(["a", "b", "c", "d", "e", "slow"]);
    for (const f of frozen) {
      const issue = after.get(f.key)!;
      expect({ key: f.key, number: issue.number, body: issue.body, title: issue.title, state: issue.state }).toEqual(f);
    }
    expect(mergedKeys(milestone)).toEqual(["a", "b"]);
    expect(cIssue.state).toBe("closed");
    expect(cIssue.stateReason).toBe("not_planned");
    expect(after.get("d")!.number).toBe(dIssue.number);
    expect(dIssue.title).toBe("Build d, renamed");
    expect(dIssue.state).toBe("open");
    expect(after.get("e")!.state).toBe("open");
    expect(duplicates(worldFacts(s.sandbox.repo, milestone))).toEqual([]);
  }, 45_000);
});
