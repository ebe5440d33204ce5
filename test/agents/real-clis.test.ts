import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAgent } from "../../src/agent-runner/run-agent.js";
import type { RunnerEnv } from "../../src/agent-runner/runner-env.js";
import { planTool } from "../../src/agent-runner/tools.js";
import { startAgentModel, type AgentModel, type AgentScript } from "../../src/sandbox/fake-llm/agent-model.js";
import { testInputs } from "../agent-runner/helpers.js";

/**
 * The real Claude Code and Codex CLIs (the pinned dev dependencies), started by the
 * runner's own agent step (plan → toolLaunch → spawn → usage report → patch), against the
 * scripted model server on 127.0.0.1. No network: each CLI's base URL is the local server,
 * nonessential traffic and update checks are off, and HOME / CODEX_HOME are throwaway
 * directories. The script edits a file, runs the repository's test command through the
 * tool's own shell tool, and finishes; the test checks the edit, that the test output
 * reached the model, and the cost the runner recorded.
 */

const BIN = resolve("node_modules/.bin");
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();

let model: AgentModel | null = null;
afterEach(async () => {
  await model?.close();
  model = null;
});

/** A repository whose `npm test` passes only once src/sum.js adds correctly. */
function checkout(): { root: string; tree: string; stateDir: string } {
  const root = mkdtempSync(join(tmpdir(), "architect-cli-"));
  const tree = join(root, "work");
  mkdirSync(tree);
  git(tree, "init", "--quiet");
  writeFileSync(join(tree, "package.json"), JSON.stringify({ name: "shop", private: true, scripts: { test: "node test.js" } }));
  writeFileSync(join(tree, "test.js"), "const { sum } = require('./src/sum.js');\nif (sum(2, 3) !== 5) { console.log('FAIL: sum(2, 3) is', sum(2, 3)); process.exit(1); }\nconsole.log('PASS: sum works');\n");
  git(tree, "add", ".");
  git(tree, "commit", "--quiet", "-m", "init");
  return { root, tree, stateDir: join(root, "state") };
}

function runnerEnv(tree: string, stateDir: string): RunnerEnv {
  return {
    inputs: testInputs(),
    repository: "acme/shop",
    apiUrl: "https://api.github.com",
    serverUrl: "https://github.com",
    workflowSha: "a".repeat(40),
    runUrl: "https://github.com/acme/shop/actions/runs/1",
    worktree: tree,
    stateDir,
  };
}

const SUM = "exports.sum = (a, b) => a + b;\n";
/** Write src/sum.js, run the test command, finish with what it printed. */
const script: AgentScript = ({ turn, lastOutput }) => {
  if (turn === 0) return { kind: "write", path: "src/sum.js", content: SUM };
  if (turn === 1) return { kind: "run", command: "npm test" };
  return { kind: "final", text: `Added sum. ${lastOutput?.includes("PASS") ? "Tests pass." : "Tests did not pass."}` };
};

async function drive(tool: "claude-code" | "codex", keyEnv: (m: AgentModel) => Record<string, string>) {
  model = await startAgentModel({ script });
  const { root, tree, stateDir } = checkout();
  mkdirSync(stateDir, { recursive: true });
  const plan = planTool({ name: "a", tool, test_command: ["npm", "test"] }, join(stateDir, "prompt.md"));
  writeFileSync(join(stateDir, "plan.json"), JSON.stringify(plan));
  writeFileSync(join(stateDir, "prompt.md"), "# Task #7: Add sum\n\nCreate src/sum.js exporting sum(a, b). Run `npm test`.\n");
  const home = join(root, "home");
  mkdirSync(home);
  const env = {
    PATH: `${BIN}:${process.env.PATH ?? ""}`,
    HOME: home,
    TMPDIR: join(root, "state"),
    ...keyEnv(model),
  };
  const { paths } = await runAgent(runnerEnv(tree, stateDir), env);
  const usage = JSON.parse(readFileSync(join(stateDir, "usage.json"), "utf8")) as Record<string, unknown>;
  return { paths, usage, tree, requests: model.requests, turns: model.turns };
}

describe("the real agent CLIs against the scripted model server", () => {
  it("Claude Code edits the file, runs the allowed test command and reports its cost", { timeout: 90_000 }, async () => {
    const ran = await drive("claude-code", (m) => ({ ANTHROPIC_API_KEY: "sk-ant-fake", ANTHROPIC_BASE_URL: m.anthropicBaseUrl }));
    expect(ran.paths).toEqual(["src/sum.js"]);
    expect(readFileSync(join(ran.tree, "src/sum.js"), "utf8")).toBe(SUM);
    const turns = ran.requests.filter((r) => r.agentTurn);
    expect(turns.length).toBe(3);
    // The test command ran (allowed by --allowedTools) and its output reached the model.
    expect(ran.turns.at(-1)?.lastOutput).toContain("PASS: sum works");
    expect(ran.requests.every((r) => r.api === "anthropic" && r.headers["x-api-key"] === "sk-ant-fake")).toBe(true);
    expect(ran.usage).toMatchObject({ tool: "claude-code", usd: expect.any(Number) });
    expect(ran.usage.usd as number).toBeGreaterThan(0);
    expect(ran.usage.inputTokens as number).toBeGreaterThanOrEqual(turns.reduce((n, r) => n + r.tokens.input, 0));
  });

  it("Codex edits the file through its sandbox, runs the test command and reports its tokens", { timeout: 90_000 }, async () => {
    const ran = await drive("codex", (m) => ({ OPENAI_API_KEY: "sk-openai-fake", OPENAI_BASE_URL: m.openaiBaseUrl }));
    expect(ran.paths).toEqual(["src/sum.js"]);
    expect(readFileSync(join(ran.tree, "src/sum.js"), "utf8")).toBe(SUM);
    expect(ran.requests.every((r) => r.api === "openai" && r.headers.authorization === "Bearer sk-openai-fake")).toBe(true);
    expect(ran.turns.at(-1)?.lastOutput).toContain("PASS: sum works");
    const tokens = ran.requests.reduce((n, r) => ({ input: n.input + r.tokens.input, output: n.output + r.tokens.output }), { input: 0, output: 0 });
    expect(ran.usage).toMatchObject({ tool: "codex", model: "gpt-6.2-sol", usd: null, inputTokens: tokens.input, outputTokens: tokens.output });
  });
});
