import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { startRealAgentRunner } from "../../src/harness/real-agent.js";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { startAgentModel, type AgentModel, type AgentScript } from "../../src/sandbox/fake-llm/agent-model.js";

/**
 * A milestone driven by Architect with the real Claude Code CLI as its agent: Architect
 * dispatches the task, the runner's prepare → agent → publish runs the pinned CLI against
 * the scripted model server on loopback, the PR carries the run's cost, the sandbox's CI
 * and reviewer pass it, and Architect merges it and shows the cost in the status comment.
 */

let stack: Stack | null = null;
let model: AgentModel | null = null;
let stopRunner: (() => void) | null = null;
afterEach(async () => {
  stopRunner?.();
  await stack?.stop();
  await model?.close();
  stack = null;
  model = null;
});

const MILESTONE = `Add a sum helper.

## Tasks

- [ ] \`sum\` Add src/sum.js
  - scope: \`src/**\`
  - estimate: 1
  - accept: \`npm test\` passes
`;

const script: AgentScript = ({ turn }) => {
  if (turn === 0) return { kind: "write", path: "src/sum.js", content: "exports.sum = (a, b) => a + b;\n" };
  if (turn === 1) return { kind: "run", command: "npm test" };
  return { kind: "final", text: "Added sum; tests pass." };
};

describe("a milestone with the real Claude Code CLI", () => {
  it("dispatches, runs the CLI through the runner, opens the PR with its cost, and merges", { timeout: 120_000 }, async () => {
    model = await startAgentModel({ script });
    stack = await startStack({
      actors: { disable: ["agent"] },
      repoConfig: "agents:\n  - name: claude\n    tool: claude-code\n    test_command: [npm, test]\ndefault_agent: claude\ntimeouts:\n  run_minutes: 1440\n",
      repo: {
        files: {
          "package.json": JSON.stringify({ name: "shop", private: true, scripts: { test: "node test.js" } }),
          "test.js": "const { sum } = require('./src/sum.js');\nif (sum(2, 3) !== 5) process.exit(1);\nconsole.log('PASS');\n",
          "src/index.js": "module.exports = {};\n",
        },
      },
    });
    const runs: { task: number; ok: boolean; error?: string }[] = [];
    const errors: unknown[] = [];
    stopRunner = startRealAgentRunner(stack.sandbox, {
      env: { PATH: `${resolve("node_modules/.bin")}:${process.env.PATH ?? ""}`, ANTHROPIC_API_KEY: "sk-ant-fake", ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
      onError: (e) => errors.push(e),
      onRun: (r) => runs.push(r),
    });
    const run = await runMilestone(stack, { title: "Sum helper", body: MILESTONE, timeoutMs: 100_000 });
    expect(errors).toEqual([]);
    expect(runs).toEqual([expect.objectContaining({ ok: true })]);
    expect(run.allDone).toBe(true);
    const task = run.tasks[0]!;
    const pull = stack.sandbox.repo.issues.get(task.pull!)!;
    const costs = decodeMarker("run", pull.body)?.costs ?? [];
    expect(costs).toEqual([expect.objectContaining({ tool: "claude-code", usd: expect.any(Number) })]);
    expect(stack.sandbox.state.readFile(stack.sandbox.repo, "src/sum.js")).toBe("exports.sum = (a, b) => a + b;\n");
    const status = run.milestone.comments.map((c) => c.body).find((b) => b.includes("### Architect status"))!;
    expect(status).toContain("| cost |");
    expect(status).toMatch(/\*\*Cost:\*\* \$0\.\d{4} in total: planning \$0\.0000, agents \$0\.\d{4}\./);
  });
});
