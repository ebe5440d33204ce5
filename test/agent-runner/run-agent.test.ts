import { describe, expect, it } from "vitest";
import { checkCodexSandbox, installEnvironment, noChangeReason } from "../../src/agent-runner/run-agent.js";
import { planTool } from "../../src/agent-runner/tools.js";

describe("installEnvironment", () => {
  it("keeps every model key and credential-like variable out of the install step", () => {
    const env = installEnvironment({
      PATH: "/usr/bin",
      HOME: "/home/runner",
      ANTHROPIC_API_KEY: "a",
      OPENAI_API_KEY: "o",
      CODEX_API_KEY: "c",
      LLM_API_KEY: "l",
      GITHUB_TOKEN: "g",
      NPM_TOKEN: "n",
      MY_SECRET: "s",
      GITHUB_ENV: "/tmp/env",
    });
    expect(env).toEqual({ PATH: "/usr/bin", HOME: "/home/runner" });
  });
});

describe("noChangeReason", () => {
  it("says what the tool was allowed to do, and never quotes its output", () => {
    expect(noChangeReason(planTool({ name: "c", tool: "claude-code", test_command: ["npm", "test"] }, "/p"))).toBe(
      "`claude-code` finished without changing any file. It could edit files and run `npm test`. Its last message is in the job log.",
    );
    expect(noChangeReason(planTool({ name: "c", tool: "claude-code" }, "/p"))).toContain("run no commands (no test_command is configured)");
  });
});

describe("checkCodexSandbox", () => {
  it("stops with the reason when user namespaces are restricted", async () => {
    await expect(checkCodexSandbox(process.cwd(), ["false"], "linux")).rejects.toThrow(/Codex's sandbox cannot start on this runner[\s\S]*apparmor_restrict_unprivileged_userns/);
  });

  it("passes when the probe succeeds or cannot be started", async () => {
    await expect(checkCodexSandbox(process.cwd(), ["true"], "linux")).resolves.toBeUndefined();
    await expect(checkCodexSandbox(process.cwd(), ["no-such-program-architect"], "linux")).resolves.toBeUndefined();
    await expect(checkCodexSandbox(process.cwd(), ["false"], "darwin")).resolves.toBeUndefined();
  });
});
