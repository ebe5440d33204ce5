import { describe, expect, it } from "vitest";
import type { Plan, PlannedTask } from "../plan/plan-schema.js";
import { diffPlans, renderPlanDiff, renderPlanPreview } from "./plan-preview.js";

function t(key: string, depends_on: string[] = [], over: Partial<PlannedTask> = {}): PlannedTask {
  return {
    key,
    title: `Task ${key}`,
    body: `Body of ${key}`,
    acceptance: [`${key} works`],
    depends_on,
    agent: "claude",
    agent_reason: "default agent",
    labels: [],
    scope: [`src/${key}/**`],
    estimate: 1,
    ...over,
  };
}

const plan: Plan = {
  rationale: "Schema first, then the two APIs in parallel, then the UI.",
  tasks: [t("db", [], { estimate: 2 }), t("auth", ["db"], { estimate: 3 }), t("profile", ["db"]), t("ui", ["auth", "profile"])],
};

describe("renderPlanPreview", () => {
  const out = renderPlanPreview({
    plan,
    usage: [{ provider: "ollama", model: "llama3.1", inputTokens: 2000, outputTokens: 500, usd: 0 }],
    warnings: [{ code: "overlapping_scope", path: "tasks[2].scope", message: 'scope of "profile" overlaps "auth"', severity: "warning" }, "a plain note"],
    approvalRequired: true,
    estimatedUsd: 1.5,
  });

  it("has a heading, the rationale and the warnings", () => {
    expect(out).toMatch(/^### Architect plan · 4 tasks\n\nSchema first/);
    expect(out).toContain('> - `tasks[2].scope`: scope of "profile" overlaps "auth"');
    expect(out).toContain("> - a plain note");
  });

  it("states total work and the critical path by estimate", () => {
    expect(out).toContain("**Work:** 7 agent-hours · **Critical path:** `db` → `auth` → `ui` (6 agent-hours)");
  });

  it("shows the graph, with tasks without dependencies as ready", () => {
    expect(out).toContain("```mermaid");
    expect(out).toMatch(/class t0 st_ready/);
    expect(out).toMatch(/class t1,t2,t3 st_blocked/);
  });

  it("has a table row per task", () => {
    expect(out).toContain("| `ui` | Task ui | `auth`, `profile` | claude — default agent | `src/ui/**` | 1 agent-hour |");
    expect(out).toContain("| `db` | Task db | — |");
  });

  it("folds each task's sub-issue body into details", () => {
    expect(out).toContain("<details><summary>Task details</summary>");
    expect(out).toContain("#### `auth` Task auth\n\nBody of auth\n\n### Acceptance\n\n- [ ] auth works");
  });

  it("shows planning cost and the estimate", () => {
    expect(out).toContain("| ollama | llama3.1 | 2,000 | 500 | $0.0000 |");
    expect(out).toContain("**Estimated cost:** about $1.50");
  });

  it("asks for approval with the number of sub-issues", () => {
    expect(out).toContain("Comment `/architect approve` to create 4 sub-issues.");
    const auto = renderPlanPreview({ plan, usage: [], warnings: [], approvalRequired: false, estimatedUsd: 0 });
    expect(auto).not.toContain("/architect approve");
    expect(auto).not.toContain("Planning cost");
    expect(auto).not.toContain("Estimated cost");
    expect(auto).not.toContain("[!WARNING]");
  });

  it("neutralises the rationale and titles", () => {
    const evil = renderPlanPreview({
      plan: { rationale: "@admins closes #1 <img src=x>", tasks: [t("a", [], { title: "x | @bob" })] },
      usage: [],
      warnings: [],
      approvalRequired: false,
      estimatedUsd: 0,
    });
    expect(evil).toContain("<code>@admins</code> closes <code>#1</code> &lt;img src=x>");
    expect(evil).toContain("| `a` | x \\| <code>@bob</code> |");
  });

  it("stays within the comment size limit for the largest plan", () => {
    const huge: Plan = {
      rationale: "r".repeat(5000),
      tasks: Array.from({ length: 100 }, (_, i) =>
        t(`t${i}`, i === 0 ? [] : [`t${i - 1}`], { body: "b".repeat(20_000), title: "T".repeat(200), acceptance: Array(30).fill("a".repeat(500)) }),
      ),
    };
    const text = renderPlanPreview({ plan: huge, usage: [], warnings: [], approvalRequired: true, estimatedUsd: 0 });
    expect(text.length).toBeLessThan(60_000);
    expect(text).toMatch(/more tasks not shown here/);
  });
});

describe("diffPlans / renderPlanDiff", () => {
  const oldPlan: Plan = { rationale: "", tasks: [t("a"), t("b", ["a"]), t("c"), t("d"), t("e")] };
  const newPlan: Plan = {
    rationale: "",
    tasks: [t("a"), t("b", ["a"], { title: "New title", scope: ["lib/**"] }), t("d", [], { title: "ignored: d is done" }), t("f", ["a"])],
  };

  it("classifies keys", () => {
    expect(diffPlans(oldPlan, newPlan, ["d", "e"])).toEqual({
      added: ["f"],
      removed: ["c"],
      changed: [{ key: "b", fields: ["title", "scope"] }],
      kept: ["a", "d", "e"],
    });
  });

  it("renders every group and names frozen done tasks", () => {
    const text = renderPlanDiff(oldPlan, newPlan, ["d", "e"]);
    expect(text).toContain("- **added:** `f`");
    expect(text).toContain("- **removed** (closed as not planned): `c`");
    expect(text).toContain("- **changed:** `b` (title, scope)");
    expect(text).toContain("- **kept:** `a`, `d`, `e`");
    expect(text).toContain("Done tasks are never changed or reopened: `d`, `e`.");
  });

  it("says none for empty groups", () => {
    const text = renderPlanDiff(oldPlan, oldPlan, []);
    expect(text).toContain("- **added:** none");
    expect(text).toContain("- **changed:** none");
    expect(text).not.toContain("Done tasks");
  });
});
