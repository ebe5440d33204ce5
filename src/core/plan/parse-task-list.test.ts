/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { buildGraph, criticalPath } from "../dag/graph.js";
import { checkTaskList, parseTaskList, TASK_LIST_RATIONALE } from "./parse-task-list.js";
import { validatePlan } from "./validate-plan.js";

const OPTS = { defaultAgent: "claude" };

function parse(body: string) {
  return parseTaskList(body, OPTS);
}

function tasksOf(body: string) {
  const result = parse(body);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan.tasks;
}

function messagesOf(body: string): string[] {
  const result = parse(body);
  if (result.ok) throw new Error("expected the task list to be rejected");
  return result.issues.map((i) => i.message);
}

describe("parseTaskList", () => {
  it("reads a full task with every attribute", () => {
    const body = [
      "Intro text",
      "",
      "## Tasks",
      "- [ ] `api-schema` Define the API schema",
      "  - depends on: `db-schema`, `auth`",
      "  - agent: codex",
      "  - scope: `src/api/**`, `docs/api.md`",
      "  - estimate: 2.5",
      "  - accept: The schema validates the example payloads",
      "  - accept: Docs updated",
      "  - labels: api, backend",
      "  > Free text body,",
      "  > over two lines.",
    ].join("\n");
    const result = parse(body);
    expect(result).toEqual({
      ok: true,
      plan: {
        rationale: TASK_LIST_RATIONALE,
        tasks: [
          {
            key: "api-schema",
            title: "Define the API schema",
            body: "Free text body,\nover two lines.",
            acceptance: ["The schema validates the example payloads", "Docs updated"],
            depends_on: ["db-schema", "auth"],
            agent: "codex",
            agent_reason: "named in the task list",
            labels: ["api", "backend"],
            scope: ["src/api/**", "docs/api.md"],
            estimate: 2.5,
          },
        ],
      },
    });
  });

  it("fills defaults for everything left out", () => {
    expect(tasksOf("## Tasks\n- [ ] `a` Do A")).toEqual([
      {
        key: "a",
        title: "Do A",
        body: "",
        acceptance: [],
        depends_on: [],
        agent: "claude",
        agent_reason: "default agent",
        labels: [],
        scope: [],
        estimate: 1,
      },
    ]);
  });

  it.each([
    ["checked box", "- [x] `a` Done already", ["a"]],
    ["no checkbox", "- `a` Plain item", ["a"]],
    ["star bullet", "* [ ] `a` Star", ["a"]],
    ["numbered", "1. `a` First\n2. `b` Second", ["a", "b"]],
    ["separator after key", "- [ ] `a`: Colon title\n- [ ] `b` — Dash title", ["a", "b"]],
    ["prose between tasks is ignored", "Some words.\n- [ ] `a` A\n\nMore words.\n- [ ] `b` B", ["a", "b"]],
    ["fenced examples are ignored", "```\n- [ ] `x` Not a task\n```\n- [ ] `a` A", ["a"]],
  ])("task lines: %s", (_name, list, keys) => {
    expect(tasksOf(`## Tasks\n${list}`).map((t) => t.key)).toEqual(keys);
  });

  it.each([
    ["depends: none", "  - depends on: none", { depends_on: [] }],
    ["depends alias", "  - after: b, c", { depends_on: ["b", "c"] }],
    ["brace glob stays whole", "  - scope: src/{api,db}/**, docs/x.md", { scope: ["src/{api,db}/**", "docs/x.md"] }],
    ["attribute name case", "  - Depends On: `b`", { depends_on: ["b"] }],
    ["estimate unit", "  - estimate: 3h", { estimate: 3 }],
    ["tab indentation", "\t- agent: codex", { agent: "codex", agent_reason: "named in the task list" }],
    ["plain indented text joins the body", "  First line\n  > second", { body: "First line\nsecond" }],
  ])("attributes: %s", (_name, attributeLines, expected) => {
    const [task] = tasksOf(`## Tasks\n- [ ] \`a\` A\n${attributeLines}`);
    expect(task).toMatchObject(expected);
  });

  it("reads only the Tasks section, up to the next heading of its level", () => {
    const body = [
      "# Milestone",
      "- [ ] `outside` Not in the section",
      "## Tasks",
      "- [ ] `a` A",
      "### Details",
      "- [ ] `b` still inside (a deeper heading)",
      "## Notes",
      "- [ ] `c` Not a task",
    ].join("\n");
    expect(tasksOf(body).map((t) => t.key)).toEqual(["a", "b"]);
  });

  it("handles CRLF line endings", () => {
    expect(tasksOf("## Tasks\r\n- [ ] `a` A\r\n  - estimate: 2\r\n")[0]?.estimate).toBe(2);
  });

  it.each([
    ["no section", "# Hello\n- [ ] `a` A", /no `## Tasks` section/],
    ["empty section", "## Tasks\n\nNothing yet.\n## Notes", /line 1.*no tasks/s],
    ["missing key", "## Tasks\n- [ ] Define the API", /line 2: a task needs a key/],
    ["missing title", "## Tasks\n- [ ] `a`", /line 2: task `a` has no title/],
    ["unknown attribute with its line", "## Tasks\n- [ ] `a` A\n  - owner: bob", /line 3: unknown attribute "owner".*known: /],
    ["attribute without colon", "## Tasks\n- [ ] `a` A\n  - just words", /line 3: expected `- name: value`/],
    ["bad estimate", "## Tasks\n- [ ] `a` A\n  - estimate: soon", /line 3: estimate must be a number/],
    ["negative estimate", "## Tasks\n- [ ] `a` A\n  - estimate: -1", /line 3: estimate must be a number/],
    ["agent twice", "## Tasks\n- [ ] `a` A\n  - agent: x\n  - agent: y", /line 4: task `a` names its agent twice/],
    ["empty scope", "## Tasks\n- [ ] `a` A\n  - scope:", /line 3: empty scope for task `a`/],
  ])("rejects: %s", (_name, body, message) => {
    expect(messagesOf(body).join("\n")).toMatch(message);
  });

  it("reports every problem, each with its own line", () => {
    const messages = messagesOf("## Tasks\n- [ ] no key\n- [ ] `b` B\n  - colour: red\n  - estimate: x");
    expect(messages.map((m) => /^line (\d+)/.exec(m)?.[1])).toEqual(["2", "4", "5"]);
  });
});

describe("checkTaskList", () => {
  const CHECK = { defaultAgent: "claude", agents: ["claude", "codex"], maxTasks: 3, maxDepth: 2 };

  function check(lines: string[]) {
    const result = checkTaskList(lines.join("\n"), CHECK);
    return result.ok ? { ok: true, issues: result.warnings } : { ok: false, issues: result.issues };
  }

  it.each<[string, string[], string[]]>([
    // [name, body lines (line 1 is "## Tasks"), expected "path: message" starts]
    ["duplicate key names both lines", ["## Tasks", "- [ ] `a` A", "- [ ] `a` Again"], ["line 3: line 3: duplicate key \"a\" (first used by line 2)"]],
    ["self dependency on its depends line", ["## Tasks", "- [ ] `a` A", "  - depends on: `a`"], ["line 3: line 3: \"a\" depends on itself"]],
    [
      "unknown dependency on the line of that value",
      ["## Tasks", "- [ ] `a` A", "  - depends on: `b`", "- [ ] `b` B", "  - after: `zz`"],
      ["line 5: line 5: \"b\" depends on unknown task \"zz\""],
    ],
    ["cycle on the first task's depends line", ["## Tasks", "- [ ] `a` A", "  - after: b", "- [ ] `b` B", "  - after: a"], ["line 3: line 3: cycle: a → b → a"]],
    ["unknown agent on its agent line", ["## Tasks", "- [ ] `a` A", "  - estimate: 2", "  - agent: nobody"], ["line 4: line 4: unknown agent \"nobody\""]],
    [
      "too many tasks on the first task past the cap",
      ["## Tasks", "- [ ] `a` A", "- [ ] `b` B", "- [ ] `c` C", "- [ ] `d` D"],
      ["line 5: line 5: the plan has 4 tasks; the limit is 3"],
    ],
    [
      "too deep on the deepest task",
      ["## Tasks", "- [ ] `a` A", "- [ ] `b` B", "  - after: a", "- [ ] `c` C", "  - after: b"],
      ["line 6: line 6: the dependency chain a → b → c is 3 tasks deep; the limit is 2"],
    ],
    [
      "a bad scope on the line of that glob",
      ["## Tasks", "- [ ] `a` A", "  - scope: `src/**`", "  - scope: `../etc/**`, `/abs`"],
      ["line 4: line 4: scope \"../etc/**\" of \"a\" leaves the repository", "line 4: line 4: scope \"/abs\" of \"a\" is an absolute path"],
    ],
    [
      "parse and validation problems together, in line order, each once",
      ["## Tasks", "- [ ] `a`", "  - after: b", "  - colour: red", "- [ ] `b` B", "  - after: a", "  - agent: nobody"],
      [
        "line 2: line 2: task `a` has no title",
        "line 3: line 3: cycle: a → b → a",
        "line 4: line 4: unknown attribute \"colour\"",
        "line 7: line 7: unknown agent \"nobody\"",
      ],
    ],
  ])("%s", (_name, lines, expected) => {
    const result = check(lines);
    expect(result.ok).toBe(false);
    const shown = result.issues.map((i) => `${i.path}: ${i.message}`);
    expect(shown).toHaveLength(expected.length);
    expected.forEach((start, k) => expect(shown[k]?.startsWith(start), `${shown[k]} starts with ${start}`).toBe(true));
  });

  it("gives an overlap warning the line of the later task's scope", () => {
    const result = check(["## Tasks", "- [ ] `a` A", "  - scope: src/**", "- [ ] `b` B", "  - scope: src/x.ts"]);
    expect(result).toMatchObject({ ok: true, issues: [{ code: "overlapping_scope", path: "line 5", severity: "warning" }] });
  });

  it("accepts a valid list as parseTaskList reads it", () => {
    const body = "## Tasks\n- [ ] `a` A\n- [ ] `b` B\n  - after: a";
    const parsed = parseTaskList(body, OPTS);
    expect(checkTaskList(body, CHECK)).toEqual({ ok: true, plan: parsed.ok ? parsed.plan : null, warnings: [] });
  });

  it("reports only the parser's problem when there are no tasks to check", () => {
    const result = checkTaskList("## Tasks\nNothing yet.", CHECK);
    expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([expect.stringMatching(/has no tasks/)]);
  });
});

describe("examples/milestone.md", () => {
  // Loaded by the test runner (not node:fs), so the core stays free of I/O imports.
  const files = import.meta.glob<string>("../../../examples/milestone.md", { query: "?raw", import: "default", eager: true });
  const text = Object.values(files)[0] ?? "";
  const result = parseTaskList(text, OPTS);

  it("parses and validates without warnings", () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const validated = validatePlan(result.plan, { agents: ["claude", "codex"], maxTasks: 30, maxDepth: 10 });
    expect(validated).toMatchObject({ ok: true, warnings: [] });
  });

  it("has at least 6 tasks, a diamond and an independent branch", () => {
    if (!result.ok) throw new Error("example did not parse");
    const tasks = result.plan.tasks;
    expect(tasks.length).toBeGreaterThanOrEqual(6);
    const deps = new Map(tasks.map((t) => [t.key, t.depends_on]));
    expect(deps.get("auth-api")).toEqual(["db-schema"]);
    expect(deps.get("profile-api")).toEqual(["db-schema"]);
    expect(deps.get("account-ui")).toEqual(["auth-api", "profile-api"]);
    const independent = tasks.filter((t) => t.depends_on.length === 0 && !tasks.some((o) => o.depends_on.includes(t.key)));
    expect(independent.length).toBeGreaterThanOrEqual(1);
    expect(criticalPath(buildGraph(tasks))).toEqual(["db-schema", "auth-api", "account-ui", "e2e-tests"]);
  });
});
