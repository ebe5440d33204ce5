import { describe, expect, it } from "vitest";
import { findForbiddenPaths, isAgentConfiguration } from "../../src/agent-runner/patch-guard.js";

describe("findForbiddenPaths", () => {
  it.each([
    [".github/workflows/ci.yml", "workflows"],
    [".github/workflows/nested/x.md", "workflows"],
    [".github/architect.yml", "configuration"],
    [".github/architect.yaml", "configuration"],
    ["sub/.git/config", ".git"],
    // Agent configuration of every supported tool (issue 13: a committed .claude/settings.json redirects the key).
    [".claude/settings.json", "coding-agent configuration"],
    [".claude/settings.local.json", "coding-agent configuration"],
    ["packages/web/.claude/commands/x.md", "coding-agent configuration"],
    ["CLAUDE.md", "coding-agent configuration"],
    ["src/CLAUDE.md", "coding-agent configuration"],
    ["CLAUDE.local.md", "coding-agent configuration"],
    [".mcp.json", "coding-agent configuration"],
    [".codex/config.toml", "coding-agent configuration"],
    ["AGENTS.md", "coding-agent configuration"],
    ["lib/AGENTS.md", "coding-agent configuration"],
    ["AGENTS.override.md", "coding-agent configuration"],
    [".aider.conf.yml", "coding-agent configuration"],
    [".aiderignore", "coding-agent configuration"],
    [".openhands/setup.sh", "coding-agent configuration"],
    [".openhands/microagents/repo.md", "coding-agent configuration"],
    [".github/copilot-instructions.md", "coding-agent configuration"],
    [".github/instructions/ts.instructions.md", "coding-agent configuration"],
  ])("rejects %s", (path, reason) => {
    const rejected = findForbiddenPaths(["src/ok.ts", path]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.path).toBe(path);
    expect(rejected[0]?.reason).toContain(reason);
  });

  it.each([["src/index.ts"], [".github/CODEOWNERS"], ["docs/workflows/ci.md"], [".gitignore"], ["docs/agents.md"], ["src/claude/client.ts"], ["README.md"]])("allows %s", (path) => {
    expect(findForbiddenPaths([path])).toEqual([]);
  });

  it("matches agent directories in any case and file names in the case the tools read", () => {
    expect(isAgentConfiguration(".Codex/config.toml")).toBe(true);
    expect(isAgentConfiguration("docs/agents.md")).toBe(false);
  });
});
