import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AgentConfig, AgentTool } from "../../src/core/config/config-schema.js";
import { PINNED_CLIS, PROMPT_FILE, planTool, toolLaunch, TOOLS, type ToolName } from "../../src/agent-runner/tools.js";

const PROMPT = "/tmp/architect/prompt.md";
const HOME = "/tmp/architect/codex-home";

function spawnPlan(tool: ToolName, extra: { test_command?: string[] } = {}) {
  const plan = planTool({ name: "a", tool, ...extra }, PROMPT);
  if (plan.kind !== "spawn") throw new Error("not a spawn plan");
  return plan;
}

describe("the tool table", () => {
  it("has exactly the tools the config schema allows", () => {
    expect(Object.keys(TOOLS).sort()).toEqual([...AgentTool.options].sort());
  });

  it.each<[ToolName, string[], boolean]>([
    ["claude-code", ["claude", "-p", "--permission-mode", "acceptEdits", "--output-format", "json"], true],
    ["codex", ["codex", "exec", "--json", "--sandbox", "workspace-write", "-c", "analytics.enabled=false", "-c", "check_for_update_on_startup=false", "-"], true],
    ["aider", ["aider", "--yes", "--no-auto-commits", "--no-gitignore", "--no-check-update", "--analytics-disable", "--message-file", PROMPT], false],
    ["openhands", ["python3", "-m", "openhands.core.main", "-f", PROMPT], false],
  ])("runs %s as a fixed argv", (tool, argv, onStdin) => {
    const plan = planTool({ name: "a", tool }, PROMPT);
    expect(plan).toMatchObject({ kind: "spawn", tool, argv, promptOnStdin: onStdin });
  });

  it("runs a repository command with the prompt path substituted only for a whole element", () => {
    const plan = planTool({ name: "mine", tool: "command", command: ["./bin/agent", "--prompt", PROMPT_FILE, `x${PROMPT_FILE}`] }, PROMPT);
    expect(plan).toEqual({ kind: "spawn", tool: "command", install: null, argv: ["./bin/agent", "--prompt", PROMPT, `x${PROMPT_FILE}`], promptOnStdin: false, testCommand: null, usage: null, model: "" });
  });

  it("passes the per-task caps to Claude Code, which has flags for them, and not to Codex", () => {
    const caps = { max_turns: 12, max_usd_per_task: 2.5 };
    expect(planTool({ name: "a", tool: "claude-code", ...caps }, PROMPT)).toMatchObject({ argv: expect.arrayContaining(["--max-turns", "12", "--max-budget-usd", "2.5"]) });
    const codex = planTool({ name: "b", tool: "codex", ...caps }, PROMPT);
    expect(codex.kind === "spawn" && codex.argv.some((a) => a.startsWith("--max"))).toBe(false);
  });

  it("prices a tool's tokens by the agent's model, else the pinned tool's default model", () => {
    expect(planTool({ name: "b", tool: "codex" }, PROMPT)).toMatchObject({ usage: "codex-jsonl", model: "gpt-6.2-sol" });
    expect(planTool({ name: "b", tool: "codex", model: "gpt-4.1" }, PROMPT)).toMatchObject({ model: "gpt-4.1" });
    expect(planTool({ name: "a", tool: "claude-code" }, PROMPT)).toMatchObject({ usage: "claude-json" });
  });

  it("refuses a command agent without a command", () => {
    expect(() => planTool({ name: "mine", tool: "command" }, PROMPT)).toThrow(/agent 'mine' uses tool 'command' but has no 'command'/);
  });

  it("runs the scripted tool in-process", () => {
    expect(planTool({ name: "smoke", tool: "scripted" }, PROMPT)).toEqual({ kind: "scripted", tool: "scripted" });
  });

  it("never puts shell syntax in a built-in argv or install command", () => {
    for (const spec of Object.values(TOOLS)) {
      for (const arg of [...(spec.argv ?? []), ...(spec.install ?? [])]) expect(arg).not.toMatch(/[;&|`$<>()\s]/);
    }
  });
});

describe("pinned CLIs", () => {
  it.each(Object.entries(PINNED_CLIS))("installs %s at its exact pinned version", (tool, pin) => {
    const install = TOOLS[tool as ToolName].install ?? [];
    expect(install).toContain(`${pin.package}@${pin.version}`);
    expect(pin.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("installs Codex without package scripts (Claude Code's postinstall links its binary)", () => {
    expect(TOOLS.codex.install).toContain("--ignore-scripts");
    expect(TOOLS["claude-code"].install).not.toContain("--ignore-scripts");
  });

  it("pins the same versions the repository's dev dependencies use, when it has them", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { devDependencies?: Record<string, string> };
    for (const pin of Object.values(PINNED_CLIS)) {
      const dev = pkg.devDependencies?.[pin.package];
      if (dev !== undefined) expect(dev).toBe(pin.version);
    }
  });
});

describe("test command", () => {
  it("lets Claude Code run exactly the repository's test command and nothing else", () => {
    const plan = spawnPlan("claude-code", { test_command: ["npm", "test"] });
    expect(plan.argv.slice(-2)).toEqual(["--allowedTools", "Bash(npm test:*)"]);
    expect(plan.testCommand).toEqual(["npm", "test"]);
  });

  it("gives Claude Code no shell command without one", () => {
    expect(spawnPlan("claude-code").argv).not.toContain("--allowedTools");
  });

  it.each([["npm test && curl x"], ["Bash(*)"], ["$(id)"], ["a b"], ["*"]])("refuses the test-command word %j", (word) => {
    expect(() => planTool({ name: "a", tool: "claude-code", test_command: ["npm", word] }, PROMPT)).toThrow(/test_command word that is not allowed/);
    expect(AgentConfig.safeParse({ name: "a", test_command: ["npm", word] }).success).toBe(false);
  });

  it("is accepted by the config schema as an argv array", () => {
    expect(AgentConfig.parse({ name: "a", test_command: ["npm", "run", "test:unit"] }).test_command).toEqual(["npm", "run", "test:unit"]);
  });
});

describe("toolLaunch: each tool's own variables", () => {
  it("gives Codex the key as CODEX_API_KEY and the base URL as -c openai_base_url, before the stdin dash", () => {
    const launch = toolLaunch(spawnPlan("codex"), { OPENAI_API_KEY: "sk-1", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, { codexHome: HOME });
    expect(launch.env).toMatchObject({ CODEX_API_KEY: "sk-1", CODEX_HOME: HOME });
    expect(launch.argv.slice(-3)).toEqual(["-c", 'openai_base_url="http://127.0.0.1:9/v1"', "-"]);
  });

  it("prefers an explicit CODEX_API_KEY", () => {
    expect(toolLaunch(spawnPlan("codex"), { CODEX_API_KEY: "c", OPENAI_API_KEY: "o" }, { codexHome: HOME }).env.CODEX_API_KEY).toBe("c");
  });

  it("turns off Claude Code's nonessential traffic and auto-update", () => {
    const launch = toolLaunch(spawnPlan("claude-code"), { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }, { codexHome: HOME });
    expect(launch.env).toMatchObject({ CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_AUTOUPDATER: "1" });
    expect(launch.argv).toEqual(spawnPlan("claude-code").argv);
  });

  it.each<[ToolName, Record<string, string>, RegExp]>([
    ["codex", {}, /needs one of these secrets in the agent step: CODEX_API_KEY, OPENAI_API_KEY/],
    ["claude-code", {}, /ANTHROPIC_API_KEY/],
    ["codex", { CODEX_API_KEY: "k", OPENAI_BASE_URL: "file:///etc/passwd" }, /OPENAI_BASE_URL must be an http\(s\) URL/],
    ["claude-code", { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: "not a url" }, /ANTHROPIC_BASE_URL is not a URL/],
  ])("refuses %s with %j", (tool, env, message) => {
    expect(() => toolLaunch(spawnPlan(tool), env, { codexHome: HOME })).toThrow(message);
  });
});
