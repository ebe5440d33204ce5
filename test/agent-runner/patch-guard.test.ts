import { describe, expect, it } from "vitest";
import { findForbiddenPaths } from "../../src/agent-runner/patch-guard.js";

describe("findForbiddenPaths", () => {
  it.each([
    [".github/workflows/ci.yml", "workflows"],
    [".github/workflows/nested/x.md", "workflows"],
    [".github/architect.yml", "configuration"],
    [".github/architect.yaml", "configuration"],
    ["sub/.git/config", ".git"],
  ])("rejects %s", (path, reason) => {
    const rejected = findForbiddenPaths(["src/ok.ts", path]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.path).toBe(path);
    expect(rejected[0]?.reason).toContain(reason);
  });

  it.each([["src/index.ts"], [".github/CODEOWNERS"], ["docs/workflows/ci.md"], [".gitignore"]])("allows %s", (path) => {
    expect(findForbiddenPaths([path])).toEqual([]);
  });
});
