import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlannedTask, PlanIssue } from "./plan-schema.js";
import { formatPath, formatPlanIssues, validatePlan } from "./validate-plan.js";

const OPTS = { agents: ["claude", "codex"], maxTasks: 10, maxDepth: 4 };

function t(key: string, depends_on: string[] = [], extra: Partial<PlannedTask> = {}): PlannedTask {
  return {
    key,
    title: `Task ${key}`,
    body: "",
    acceptance: [],
    depends_on,
    agent: "claude",
    agent_reason: "default agent",
    labels: [],
    scope: [],
    estimate: 1,
    ...extra,
  };
}

function plan(...tasks: unknown[]) {
  return { rationale: "test", tasks };
}

function issuesOf(input: unknown, opts = OPTS): PlanIssue[] {
  const result = validatePlan(input, opts);
  return result.ok ? result.warnings : result.issues;
}

describe("validatePlan", () => {
  it("accepts a valid diamond with no warnings", () => {
    const result = validatePlan(plan(t("a"), t("b", ["a"]), t("c", ["a"]), t("d", ["b", "c"])), OPTS);
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (result.ok) expect(result.plan.tasks.map((x) => x.key)).toEqual(["a", "b", "c", "d"]);
  });

  it("removes zero-width, bidi and tag characters from every text field it accepts", () => {
    const disguised = { ...t("a\u200B"), title: "Fix\u202E login\u2066\u2069", body: "Do\u{E0041}\u{E0042} it\uFEFF", acceptance: ["works\u200D"] };
    const result = validatePlan({ rationale: "why\u200C", tasks: [disguised] }, OPTS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.rationale).toBe("why");
    expect(result.plan.tasks[0]).toMatchObject({ key: "a", title: "Fix login", body: "Do it", acceptance: ["works"] });
  });

  it.each<[string, unknown, { code: PlanIssue["code"]; path: string; message?: RegExp }[]]>([
    ["empty plan", plan(), [{ code: "empty_plan", path: "tasks" }]],
    ["duplicate key", plan(t("a"), t("a")), [{ code: "duplicate_key", path: "tasks[1].key", message: /tasks\[0\]/ }]],
    ["unknown dependency", plan(t("a", ["zzz"])), [{ code: "unknown_dependency", path: "tasks[0].depends_on[0]", message: /"zzz"/ }]],
    ["self dependency", plan(t("a", ["a"])), [{ code: "self_dependency", path: "tasks[0].depends_on[0]" }]],
    [
      "cycle names its path",
      plan(t("a", ["b"]), t("b", ["c"]), t("c", ["a"])),
      [{ code: "cycle", path: "tasks[0].depends_on", message: /^cycle: a → b → c → a$/ }],
    ],
    [
      "too many tasks",
      plan(...Array.from({ length: 11 }, (_, i) => t(`t${i}`))),
      [{ code: "too_many_tasks", path: "tasks[10]", message: /11 tasks; the limit is 10/ }],
    ],
    [
      "too deep",
      plan(t("a"), t("b", ["a"]), t("c", ["b"]), t("d", ["c"]), t("e", ["d"])),
      [{ code: "too_deep", path: "tasks[4].depends_on", message: /a → b → c → d → e is 5 tasks deep; the limit is 4/ }],
    ],
    [
      "unknown agent lists the known ones",
      plan(t("a", [], { agent: "gpt" })),
      [{ code: "unknown_agent", path: "tasks[0].agent", message: /"gpt".*claude, codex/ }],
    ],
    [
      "scopes that cannot name files in the repository",
      plan(t("a", [], { scope: ["src/**", "", "../x/**", "/etc/**", "!src/a.ts", "src/[ab"] })),
      [
        { code: "invalid_scope", path: "tasks[0].scope[1]", message: /^scope "" of "a" is empty$/ },
        { code: "invalid_scope", path: "tasks[0].scope[2]", message: /"\.\.\/x\/\*\*" of "a" leaves the repository/ },
        { code: "invalid_scope", path: "tasks[0].scope[3]", message: /absolute path/ },
        { code: "invalid_scope", path: "tasks[0].scope[4]", message: /negation/ },
        { code: "invalid_scope", path: "tasks[0].scope[5]", message: /not a valid glob/ },
      ],
    ],
    ["schema error with a path", plan({ ...t("a"), title: "" }), [{ code: "schema", path: "tasks[0].title" }]],
    ["bad key format", plan(t("Bad Key")), [{ code: "schema", path: "tasks[0].key" }]],
    ["extra field", plan({ ...t("a"), color: "red" }), [{ code: "schema", path: "tasks[0]" }]],
    ["not an object", "hello", [{ code: "schema", path: "" }]],
  ])("rejects: %s", (_name, input, expected) => {
    const result = validatePlan(input, OPTS);
    expect(result.ok).toBe(false);
    const issues = issuesOf(input);
    for (const e of expected) {
      const found = issues.find((i) => i.code === e.code && i.path === e.path);
      expect(found, `${e.code} at ${e.path} in ${JSON.stringify(issues)}`).toBeDefined();
      expect(found?.severity).toBe("error");
      if (e.message) expect(found?.message).toMatch(e.message);
    }
  });

  it("collects every problem at once, including a cycle next to schema errors", () => {
    const input = plan(
      { ...t("a", ["b"]), title: "" },
      t("b", ["a", "ghost"]),
      t("b"),
      t("c", ["c"], { agent: "nobody" }),
    );
    const codes = issuesOf(input).map((i) => i.code).sort();
    expect(codes).toEqual(["cycle", "duplicate_key", "schema", "self_dependency", "unknown_agent", "unknown_dependency"]);
  });

  it("reports independent cycles separately", () => {
    const input = plan(t("a", ["b"]), t("b", ["a"]), t("c", ["d"]), t("d", ["c"]));
    const cycles = issuesOf(input).filter((i) => i.code === "cycle").map((i) => i.message);
    expect(cycles).toEqual(["cycle: a → b → a", "cycle: c → d → c"]);
  });

  it("accepts every usable scope glob and reports each bad one once", () => {
    expect(validatePlan(plan(t("a", [], { scope: ["src/api", "./docs/", "**/*.md", "src/{a,b}/**"] })), OPTS).ok).toBe(true);
    const bad = issuesOf(plan(t("a", [], { scope: ["src/**", "../x"] })));
    expect(bad.map((i) => i.path)).toEqual(["tasks[0].scope[1]"]);
  });

  it("skips the agent check when no agents are configured", () => {
    expect(validatePlan(plan(t("a", [], { agent: "anything" })), { ...OPTS, agents: [] }).ok).toBe(true);
  });

  it.each([
    ["parallel tasks with overlapping scopes warn", [t("a", [], { scope: ["src/**"] }), t("b", [], { scope: ["src/x.ts"] })], 1],
    ["ordered tasks may share scope", [t("a", [], { scope: ["src/**"] }), t("b", ["a"], { scope: ["src/x.ts"] })], 0],
    [
      "transitively ordered tasks may share scope",
      [t("a", [], { scope: ["src/**"] }), t("m", ["a"]), t("b", ["m"], { scope: ["src/x.ts"] })],
      0,
    ],
    ["disjoint scopes do not warn", [t("a", [], { scope: ["docs/**"] }), t("b", [], { scope: ["src/**"] })], 0],
    ["undeclared scopes do not warn", [t("a"), t("b")], 0],
  ])("%s", (_name, tasks, warnings) => {
    const result = validatePlan(plan(...tasks), OPTS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toHaveLength(warnings);
    for (const w of result.warnings) expect(w).toMatchObject({ code: "overlapping_scope", severity: "warning", path: "tasks[1].scope" });
  });
});

describe("validatePlan properties", () => {
  /** Random DAG: task i may depend only on tasks with a smaller index. */
  const dag = fc.integer({ min: 2, max: 14 }).chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { minLength: 1, maxLength: 40 }).map((pairs) =>
        pairs.filter(([a, b]) => a !== b).map(([a, b]) => (a > b ? [a, b] : [b, a]) as [number, number]),
      ),
    ),
  );

  function build(n: number, edges: readonly [number, number][]) {
    return plan(...Array.from({ length: n }, (_, i) => t(`t${i}`, [...new Set(edges.filter(([a]) => a === i).map(([, b]) => `t${b}`))])));
  }

  const loose = { agents: ["claude"], maxTasks: 100, maxDepth: 100 };

  it("accepts every DAG", () => {
    fc.assert(fc.property(dag, ([n, edges]) => validatePlan(build(n, edges), loose).ok));
  });

  it("rejects a DAG plus one back-edge with a cycle that really exists", () => {
    fc.assert(
      fc.property(
        dag.filter(([, edges]) => edges.length > 0),
        fc.nat(),
        ([n, edges], pick) => {
          const [from, to] = edges[pick % edges.length] as [number, number];
          const withBack = [...edges, [to, from] as [number, number]];
          const input = build(n, withBack);
          const result = validatePlan(input, loose);
          if (result.ok) return false;
          const cycle = result.issues.find((i) => i.code === "cycle");
          if (!cycle) return false;
          const path = cycle.message.replace(/^cycle: /, "").split(" → ");
          const hasEdge = (a: string, b: string) => withBack.some(([x, y]) => `t${x}` === a && `t${y}` === b);
          return (
            path.length >= 3 &&
            path[0] === path[path.length - 1] &&
            path.slice(1).every((key, i) => hasEdge(path[i] as string, key))
          );
        },
      ),
    );
  });
});

describe("formatPlanIssues", () => {
  it("lists errors before warnings with the path as code", () => {
    const text = formatPlanIssues([
      { code: "overlapping_scope", path: "tasks[1].scope", message: "overlap", severity: "warning" },
      { code: "cycle", path: "tasks[0].depends_on", message: "cycle: a → b → a", severity: "error" },
    ]);
    expect(text.split("\n")).toEqual([
      "- **error** `tasks[0].depends_on`: cycle: a → b → a",
      "- **warning** `tasks[1].scope`: overlap",
    ]);
  });

  it("names a task-list line once, though the message carries it for the CLI too", () => {
    const text = formatPlanIssues([{ code: "cycle", path: "line 5", message: "line 5: cycle: a → b → a", severity: "error" }]);
    expect(text).toBe("- **error** `line 5`: cycle: a → b → a");
  });

  it("neutralises model text quoted in messages and cuts long lists", () => {
    const many: PlanIssue[] = Array.from({ length: 5 }, (_, i) => ({
      code: "unknown_dependency",
      path: `tasks[${i}]`,
      message: `depends on "@admins closes #1"`,
      severity: "error",
    }));
    const text = formatPlanIssues(many, 3);
    const outsideCode = text.replace(/<code>[^<]*<\/code>/g, "");
    expect(outsideCode).not.toMatch(/(^|[^A-Za-z0-9])@admins/);
    expect(outsideCode).not.toMatch(/#1/);
    expect(text).toContain("<code>@admins</code> closes <code>#1</code>");
    expect(text).toContain("…and 2 more");
  });

  it("says so when there is nothing", () => {
    expect(formatPlanIssues([])).toBe("_No problems found._");
  });

  it.each([
    [["tasks", 2, "depends_on", 0], "tasks[2].depends_on[0]"],
    [[], ""],
    [["rationale"], "rationale"],
  ])("formatPath(%j) = %s", (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
