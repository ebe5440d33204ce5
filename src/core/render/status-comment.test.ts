import { describe, expect, it } from "vitest";
import type { TaskStateName } from "../decide/effects.js";
import { makeConfig, makeControl, makePull, makeSnapshot, makeTask, planTask } from "../decide/test-builders.js";
import {
  renderStatusComment,
  statusRowsFromSnapshot,
  statusWarnings,
  summaryLine,
  type StatusTaskRow,
} from "./status-comment.js";
import { milestoneSpend } from "../cost/spend.js";
import type { RunCost } from "../markers/markers.js";

function row(number: number, key: string, state: TaskStateName, over: Partial<StatusTaskRow> = {}): StatusTaskRow {
  return { number, key, title: `Task ${key}`, agent: "claude", state, reason: `${state} because`, pull: null, dependsOn: [], estimate: 1, ...over };
}

const diamond: StatusTaskRow[] = [
  row(11, "db", "done", { pull: 21, estimate: 2 }),
  row(12, "auth", "running", { dependsOn: ["db"], estimate: 3 }),
  row(13, "profile", "review", { dependsOn: ["db"], pull: 23 }),
  row(14, "ui", "blocked", { dependsOn: ["auth", "profile"], estimate: 2 }),
  row(15, "docs", "ready"),
];

describe("summaryLine", () => {
  it.each<[string, TaskStateName[], string]>([
    ["nothing yet", [], "_No tasks yet._"],
    ["mixed", ["done", "done", "done", "running", "running", "review", "blocked"], "**3/7 done** · 2 running · 1 in review · 1 blocked"],
    ["all done", ["done", "done"], "**2/2 done**"],
    ["cancelled tasks leave the total", ["done", "cancelled"], "**1/1 done** · 1 cancelled"],
    ["side exits", ["failed", "needs-human", "held"], "**0/3 done** · 1 on hold · 1 failed · 1 need a human"],
  ])("%s", (_name, states, expected) => {
    expect(summaryLine(states.map((state) => ({ state })))).toBe(expected);
  });
});

describe("renderStatusComment", () => {
  const out = renderStatusComment({
    tasks: diamond,
    warnings: ["`architect/dag` is not a required check on `main`"],
    usage: [{ provider: "openai", model: "gpt-4.1-mini", inputTokens: 12345, outputTokens: 678, usd: 0.0123 }],
  });

  it("starts with the summary", () => {
    expect(out).toMatch(/^### Architect status\n\n\*\*1\/5 done\*\* · 1 running · 1 in review · 1 ready · 1 blocked\n/);
  });

  it("shows warnings as an alert", () => {
    expect(out).toContain("> [!WARNING]\n> - `architect/dag` is not a required check on `main`");
  });

  it("shows the critical path of unfinished work weighted by estimate", () => {
    // db is done; auth (3) → ui (2) outweighs profile (1) → ui (2) and docs (1).
    expect(out).toContain("**Critical path:** `auth` → `ui` (5 agent-hours left)");
  });

  it("includes the graph and a row per task with PR links", () => {
    expect(out).toContain("```mermaid\ngraph TD");
    expect(out).toContain("| #11 | `db` | Task db | claude | ✅ done | done because | #21 |");
    expect(out).toContain("| #14 | `ui` | Task ui | claude | ⏳ blocked | blocked because |  |");
  });

  it("shows model use per plan and in total", () => {
    expect(out).toContain("**Model use:** $0.0123 in total");
    expect(out).toContain("| openai | gpt-4.1-mini | 12,345 | 678 | $0.0123 |");
    expect(out).toMatch(/\| \*\*total\*\* \| \| 12,345 \| 678 \| \*\*\$0\.0123\*\* \|/);
  });

  it("leaves out empty sections", () => {
    const bare = renderStatusComment({ tasks: [], warnings: [] });
    expect(bare).toContain("_No tasks yet._");
    expect(bare).not.toContain("[!WARNING]");
    expect(bare).not.toContain("mermaid");
    expect(bare).not.toContain("Model use");
    expect(bare).not.toContain("Critical path");
  });

  it("is deterministic", () => {
    expect(renderStatusComment({ tasks: diamond, warnings: [] })).toBe(renderStatusComment({ tasks: [...diamond], warnings: [] }));
  });

  it("escapes titles in table cells", () => {
    const evil = renderStatusComment({ tasks: [row(1, "a", "ready", { title: "a | b @admin\n<img src=x>", reason: "fixes #2" })], warnings: [] });
    const line = evil.split("\n").find((l) => l.startsWith("| #1 "));
    expect(line).toBeDefined();
    expect(line).toContain("a \\| b <code>@admin</code> &lt;img src=x>");
    expect(line).toContain("fixes <code>#2</code>");
  });
});

describe("statusRowsFromSnapshot", () => {
  it("joins issue facts, markers and decided states", () => {
    const snapshot = makeSnapshot({
      tasks: [makeTask(5, "db", { estimate: 2, pull: makePull(9) }), makeTask(6, "api", { dependsOn: ["db"], agent: "codex" })],
    });
    const rows = statusRowsFromSnapshot(snapshot, { 5: { state: "review", reason: "checks running" } });
    expect(rows).toEqual([
      { number: 5, key: "db", title: "Task db", agent: "claude", state: "review", reason: "checks running", pull: 9, dependsOn: [], estimate: 2, costUsd: null },
      { number: 6, key: "api", title: "Task api", agent: "codex", state: "blocked", reason: "not evaluated yet", pull: null, dependsOn: ["db"], estimate: 1, costUsd: null },
    ]);
  });

  it("shows each task's agent cost and the milestone's planning + agents total", () => {
    const prices = { "gpt-x": { input_per_mtok: 2, output_per_mtok: 10 } };
    const cost = (runKey: string, over: Partial<RunCost> = {}): RunCost => ({ runKey, tool: "claude-code", model: "claude", inputTokens: 10, outputTokens: 1, usd: 0.5, seconds: 30, ...over });
    const snapshot = makeSnapshot({
      controlValue: makeControl([], { usage: [{ provider: "openai", model: "gpt-4.1-mini", inputTokens: 1000, outputTokens: 100, usd: 0.01 }] }),
      tasks: [
        // Two runs published to this PR; a repeated entry of one run counts once.
        makeTask(5, "db", { pull: makePull(9, { costs: [cost("1/5/1/initial"), cost("1/5/2/retry", { usd: 0.25 }), cost("1/5/2/retry", { usd: 0.25 })] }) }),
        // Codex reports tokens only: 100k input + 10k output at $2/$10 per million = $0.30.
        makeTask(6, "api", { agent: "codex", pull: makePull(10, { costs: [cost("1/6/1/initial", { tool: "codex", model: "gpt-x", inputTokens: 100_000, outputTokens: 10_000, usd: null })] }) }),
        makeTask(7, "ui", { agent: "codex", pull: makePull(11, { costs: [cost("1/7/1/initial", { tool: "codex", model: "gpt-unknown", usd: null })] }) }),
        makeTask(8, "docs"),
      ],
    });
    const rows = statusRowsFromSnapshot(snapshot, {}, prices);
    expect(rows.map((r) => r.costUsd)).toEqual([0.75, 0.3, 0, null]);
    const spend = milestoneSpend(snapshot, snapshot.control!.value, prices);
    expect(spend).toEqual({ planningUsd: 0.01, agentsUsd: 1.05, totalUsd: 1.06, unpriced: ["gpt-unknown"] });
    const body = renderStatusComment({ tasks: rows, warnings: [], spend });
    expect(body).toContain("| # | task | title | agent | state | why | PR | cost |");
    expect(body).toMatch(/\| #5 \| `db` .*\| #9 \| \$0\.7500 \|/);
    expect(body).toMatch(/\| #8 \| `docs` .*\|  \|  \|$/m);
    expect(body).toContain("**Cost:** $1.06 in total: planning $0.0100, agents $1.05. Runs of `gpt-unknown` have no price: add it under `prices`.");
  });
});

describe("statusWarnings", () => {
  const config = makeConfig();
  const protectedRepo = (requiredChecks: string[]) => ({
    ...makeSnapshot().repo,
    protection: { enabled: true, requiredChecks, requiredApprovals: 1 },
  });

  it.each([
    ["all good", makeSnapshot({ repo: protectedRepo(["ci", "architect/dag"]) }), []],
    ["dag check not required", makeSnapshot({ repo: protectedRepo(["ci"]) }), [/`architect\/dag` is not a required check on `main`/]],
    ["unprotected", makeSnapshot({ repo: { ...protectedRepo([]), protection: { enabled: false, requiredChecks: [], requiredApprovals: 0 } } }), [/not protected/]],
    ["unknown protection", makeSnapshot({ repo: { ...protectedRepo([]), protection: null } }), [/could not be read/]],
    [
      "paused and awaiting approval",
      makeSnapshot({ repo: protectedRepo(["architect/dag"]), controlValue: makeControl([planTask("a")], { paused: true, approvedBy: null }) }),
      [/^Paused/, /^Waiting for plan approval/],
    ],
  ])("%s", (_name, snapshot, expected) => {
    const warnings = statusWarnings(snapshot, config);
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(warnings[i]).toMatch(pattern));
  });

  it("counts agent spend toward the budget warning, by the same rule as the dispatch gate", () => {
    const repo = { ...makeSnapshot().repo, protection: { enabled: true, requiredChecks: ["architect/dag"], requiredApprovals: 1 } };
    const tasks = [makeTask(5, "db", { pull: makePull(9, { costs: [{ runKey: "1/5/1/initial", tool: "claude-code", model: "c", inputTokens: 1, outputTokens: 1, usd: 2, seconds: 1 }] }) })];
    const budget = makeConfig({ budget: { usd: 2 } });
    expect(statusWarnings(makeSnapshot({ repo, tasks, controlValue: makeControl([]) }), budget)).toEqual([
      "Budget reached ($2.00 of $2.00): comment `/architect approve` to continue.",
    ]);
  });

  it("says when the budget is reached, counting approved extra spend", () => {
    const usage = [{ provider: "openai", model: "m", inputTokens: 1, outputTokens: 1, usd: 3 }];
    const repo = protectedRepo(["architect/dag"]);
    const budget = makeConfig({ budget: { usd: 2 } });
    expect(statusWarnings(makeSnapshot({ repo, controlValue: makeControl([], { usage }) }), budget)).toEqual([
      "Budget reached ($3.00 of $2.00): comment `/architect approve` to continue.",
    ]);
    expect(statusWarnings(makeSnapshot({ repo, controlValue: makeControl([], { usage, budgetApprovedUsd: 3 }) }), budget)).toEqual([]);
  });
});
