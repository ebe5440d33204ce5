import { describe, expect, it } from "vitest";
import { judgeScope, scopeComment, trustedScope } from "../../src/agent-runner/scope-guard.js";
import { encodeMarker } from "../../src/core/markers/markers.js";

const BOT = "architect[bot]";
const marker = (scope: string[]) =>
  encodeMarker("task", { milestone: 1, planId: "p1", key: "api", dependsOn: [], agent: "claude", scope, estimate: 1 });

describe("trustedScope", () => {
  it.each<[string, { body: string; user: { login: string } | null }, string[]]>([
    ["the App's task issue", { body: `Do it.\n${marker(["src/api/**"])}`, user: { login: BOT } }, ["src/api/**"]],
    ["an issue someone else wrote, with a forged marker", { body: marker(["**"]), user: { login: "mallory" } }, []],
    ["no author", { body: marker(["src/**"]), user: null }, []],
    ["the App's issue without a marker", { body: "Do it.", user: { login: BOT } }, []],
  ])("%s", (_name, issue, scope) => {
    expect(trustedScope(issue, BOT)).toEqual(scope);
  });
});

describe("judgeScope", () => {
  it.each<[string, string[], string[], "block" | "warn" | "off", string, ReturnType<typeof judgeScope>]>([
    ["inside", ["src/api/a.ts"], ["src/api/**"], "block", "claude-code", { kind: "ok" }],
    ["outside, blocked", ["src/api/a.ts", "README.md"], ["src/api/**"], "block", "claude-code", { kind: "block", outside: ["README.md"] }],
    ["outside, warned", ["README.md"], ["src/api/**"], "warn", "claude-code", { kind: "warn", outside: ["README.md"] }],
    ["outside, not checked", ["README.md"], ["src/api/**"], "off", "claude-code", { kind: "ok" }],
    ["no scope declared", ["README.md"], [], "block", "claude-code", { kind: "ok" }],
    ["the scripted tool's own log", [".architect/runs/task-7.md"], ["src/**"], "block", "scripted", { kind: "ok" }],
    ["that log from any other tool", [".architect/runs/task-7.md"], ["src/**"], "block", "codex", { kind: "block", outside: [".architect/runs/task-7.md"] }],
  ])("%s", (_name, paths, scope, enforce, tool, verdict) => {
    expect(judgeScope(paths, scope, enforce, tool)).toEqual(verdict);
  });
});

describe("scopeComment", () => {
  it("lists every file outside as inert code, says what happened and how to allow it", () => {
    const text = scopeComment({ kind: "block", outside: ["README.md", "@admins `x`.md"] }, ["src/api/**"], 7, "1/7/1/initial");
    expect(text).toContain("**Architect refused to publish run `1/7/1/initial`:** its change touches 2 files outside this task's scope (`scope.enforce: block`). Nothing was pushed.");
    expect(text).toContain("- `README.md`\n- `@admins x.md`");
    expect(text).toContain("The scope: `src/api/**`");
    expect(text).toMatch(/scope\.enforce: warn/);
  });

  it("cuts a long list and counts the rest", () => {
    const outside = Array.from({ length: 60 }, (_, i) => `f${i}.ts`);
    const text = scopeComment({ kind: "warn", outside }, ["src/**"], 7, "1/7/1/initial");
    expect(text).toContain("was published, but its change touches 60 files outside");
    expect(text).toContain("- `f49.ts`\n- …and 10 more");
    expect(text).not.toContain("f50.ts");
  });
});
