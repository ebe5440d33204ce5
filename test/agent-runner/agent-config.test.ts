import { describe, expect, it } from "vitest";
import { resolveAgent } from "../../src/agent-runner/agent-config.js";

describe("resolveAgent", () => {
  it.each([
    ["no file", null],
    ["an empty file", ""],
    ["a file that configures other keys", "caps:\n  repo: 2\n"],
  ])("falls back to the built-in agent with %s", (_label, text) => {
    expect(resolveAgent(text, "claude")).toMatchObject({ name: "claude", kind: "workflow", tool: "claude-code" });
  });

  it("reads a repository-defined command agent", () => {
    const text = "agents:\n  - name: local\n    tool: command\n    command: [./scripts/agent.sh, '{prompt_file}']\n";
    expect(resolveAgent(text, "local")).toMatchObject({ name: "local", tool: "command", command: ["./scripts/agent.sh", "{prompt_file}"] });
  });

  it.each([
    ["an unknown agent", "agents:\n  - name: a\n  - name: b\n", "zed", /agent 'zed' is not configured .*\(known: a, b\)/],
    ["invalid YAML", "agents: [", "a", /not valid YAML/],
    ["an unknown key", "agents:\n  - name: a\n    tool: rm-rf\n", "a", /invalid at 'agents.0.tool'/],
    ["a copilot agent", "agents:\n  - name: cop\n    kind: copilot\n", "cop", /kind 'copilot'/],
  ])("refuses %s", (_label, text, name, message) => {
    expect(() => resolveAgent(text, name)).toThrow(message);
  });
});
