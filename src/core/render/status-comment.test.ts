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
      { number: 5, key: "db", title: "Task db", agent: "claude", state: "review", reason: "checks running", pull: 9, dependsOn: [], estimate: 2 },
      { number: 6, key: "api", title: "Task api", agent: "codex", state: "blocked", reason: "not evaluated yet", pull: null, dependsOn: ["db"], estimate: 1 },
    ]);
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
