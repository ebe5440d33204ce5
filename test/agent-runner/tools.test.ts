import { describe, expect, it } from "vitest";
import { AgentTool } from "../../src/core/config/config-schema.js";
import { PROMPT_FILE, planTool, TOOLS, type ToolName } from "../../src/agent-runner/tools.js";

const PROMPT = "/tmp/architect/prompt.md";

describe("the tool table", () => {
  it("has exactly the tools the config schema allows", () => {
    expect(Object.keys(TOOLS).sort()).toEqual([...AgentTool.options].sort());
  });

  it.each<[ToolName, string[], boolean]>([
    ["claude-code", ["claude", "-p", "--permission-mode", "acceptEdits", "--output-format", "text"], true],
    ["codex", ["codex", "exec", "--sandbox", "workspace-write", "-"], true],
    ["aider", ["aider", "--yes", "--no-auto-commits", "--no-gitignore", "--message-file", PROMPT], false],
    ["openhands", ["python3", "-m", "openhands.core.main", "-f", PROMPT], false],
  ])("runs %s as a fixed argv", (tool, argv, onStdin) => {
    const plan = planTool({ name: "a", tool }, PROMPT);
    expect(plan).toMatchObject({ kind: "spawn", tool, argv, promptOnStdin: onStdin });
  });

  it("runs a repository command with the prompt path substituted only for a whole element", () => {
    const plan = planTool({ name: "mine", tool: "command", command: ["./bin/agent", "--prompt", PROMPT_FILE, `x${PROMPT_FILE}`] }, PROMPT);
    expect(plan).toEqual({ kind: "spawn", tool: "command", install: null, argv: ["./bin/agent", "--prompt", PROMPT, `x${PROMPT_FILE}`], promptOnStdin: false });
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
