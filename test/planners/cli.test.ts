import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main, milestoneFromMarkdown, type CliIo } from "../../src/cli/main.js";
import { startFakeLlm } from "../../src/sandbox/fake-llm/fake-llm.js";
import { FIXTURES, fixturePlan } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONFIG = `${FIXTURES}architect.config.yml`;

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, readFile: (p) => readFileSync(p, "utf8") };
  const code = await main(argv, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("architect plan (in-process)", () => {
  it("prints the table, the Mermaid graph and the cost for a valid task list", async () => {
    const { code, stdout, stderr } = await run(["plan", "--file", `${FIXTURES}tasks-valid.md`, "--planner", "markdown", "--config", CONFIG]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("# Plan from markdown: 3 tasks");
    expect(stdout).toContain("| 2 | auth-api | Sign-up and login endpoints | db-schema | claude | src/api/auth/** | 1 |");
    expect(stdout).toContain("| 3 | account-ui | Account pages | auth-api | codex | src/web/account/** | 1 |");
    expect(stdout).toMatch(/```mermaid\ngraph TD[\s\S]*t0 --> t1\n {2}t1 --> t2/);
    expect(stdout).toContain("Cost: none (no model was called).");
  });

  it("lists every issue of an invalid task list and exits 1", async () => {
    const { code, stdout, stderr } = await run(["plan", "--file", `${FIXTURES}tasks-invalid.md`, "--planner", "markdown", "--config", CONFIG]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("[markdown] the task list is invalid");
    expect(stderr).toMatch(/cycle: a → c → b → a/);
    expect(stderr).toMatch(/unknown task "missing"/);
    expect(stderr).toMatch(/unknown agent "nobody"/);
  });

  it("reports task-list line numbers of the file itself", async () => {
    const { code, stderr } = await run(["plan", "--file", `${FIXTURES}tasks-bad-attribute.md`, "--planner", "markdown", "--config", CONFIG]);
    expect(code).toBe(1);
    // The unknown attribute is on line 7 of the file (its title is line 1).
    expect(stderr).toMatch(/`line 7`: unknown attribute "owner"/);
    expect(stderr).not.toMatch(/line 7`?: line 7/);
  });

  it("plans the README's example with the App's defaults, no --config needed", async () => {
    const { code, stdout, stderr } = await run(["plan", "--file", "examples/milestone.md"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("# Plan from markdown: 7 tasks");
    expect(stdout).toMatch(/\| codex \|/);
  });

  it("merges --config over architect.config.yml key by key, as the App merges a repository's file", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const files: Record<string, string> = { "small.yml": "planner:\n  max_tasks: 2\n" };
    const io: CliIo = {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {},
      readFile: (p) => files[p] ?? readFileSync(p, "utf8"),
    };
    const code = await main(["plan", "--file", "examples/milestone.md", "--config", "small.yml"], io);
    expect(code).toBe(1);
    // The cap comes from --config; the agents (codex among them) still come from architect.config.yml.
    expect(err.join("\n")).toMatch(/the plan has 7 tasks; the limit is 2/);
    expect(err.join("\n")).not.toMatch(/unknown agent/);
  });

  it("plans with a model through OPENAI_BASE_URL and prints the token cost", async () => {
    const server = await startFakeLlm({ script: [{ kind: "plan", plan: fixturePlan("plan-valid"), tokens: { input: 1000, output: 500 } }] });
    try {
      const { code, stdout } = await run(["plan", "--file", `${FIXTURES}tasks-valid.md`, "--planner", "openai", "--config", CONFIG], {
        OPENAI_BASE_URL: server.openaiBaseUrl,
      });
      expect(code).toBe(0);
      expect(stdout).toContain("# Plan from openai: 3 tasks");
      // 1000 × $0.40/M + 500 × $1.60/M
      expect(stdout).toContain("Cost: 1000 input + 500 output tokens, $0.001200.");
      expect(server.requests[0]?.messages[1]?.content).toContain('<untrusted_data source="milestone #0 title">\nAdd user accounts');
    } finally {
      await server.close();
    }
  });

  it.each([
    [["plan"], /--file is required/],
    [["plan", "--file", "x.md", "--planner", "gpt"], /--planner must be one of markdown, ollama, openai/],
    [["plan", "--file", "x.md", "--verbose"], /Unknown option '--verbose'/],
    [["deploy"], /unknown command "deploy"/],
    [["plan", "--file", "/nonexistent/milestone.md"], /ENOENT/],
    [["plan", "--file", `${FIXTURES}tasks-valid.md`, "--config", `${FIXTURES}plan-valid.json`], /invalid .*plan-valid\.json/],
  ])("rejects %j with a clear message and exit 1", async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Usage:");
  });

  it("prints help with exit 0", async () => {
    const { code, stdout } = await run(["help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("architect plan --file <milestone.md>");
  });
});

describe("milestoneFromMarkdown", () => {
  it.each([
    ["# Accounts\n\nBody", undefined, { title: "Accounts", body: "# Accounts\n\nBody" }],
    ["# Accounts ##\r\nBody", undefined, { title: "Accounts", body: "# Accounts ##\nBody" }],
    ["No heading\nBody", undefined, { title: "Milestone", body: "No heading\nBody" }],
    ["# Accounts\nBody", "Given", { title: "Given", body: "# Accounts\nBody" }],
    ["## Tasks\n- [ ] `a` A", undefined, { title: "Milestone", body: "## Tasks\n- [ ] `a` A" }],
  ])("splits %j", (text, title, expected) => {
    expect(milestoneFromMarkdown(text, title)).toEqual(expected);
  });
});

describe("architect plan (spawned)", () => {
  it("exits 0 on a valid list and 1 on an invalid one", () => {
    const spawn = (file: string) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "plan", "--file", `${FIXTURES}${file}`, "--planner", "markdown", "--config", CONFIG], {
        cwd: ROOT,
        encoding: "utf8",
      });
    const ok = spawn("tasks-valid.md");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("# Plan from markdown: 3 tasks");
    const bad = spawn("tasks-invalid.md");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("No valid plan.");
  });
});
