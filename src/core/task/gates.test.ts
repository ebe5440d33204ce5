import { describe, expect, it } from "vitest";
import { requiredApprovalsOf } from "./dag-gate.js";
import { makeConfig, makeTask } from "../decide/test-builders.js";

const config = makeConfig({
  reviews: { required_approvals: 1 },
  gates: [
    { match: { scope: ["migrations/**"] }, required_approvals: 2 },
    { match: { labels: ["security"] }, required_approvals: 3 },
    { match: { keys: ["docs-*"] }, required_approvals: 0 },
  ],
});

describe("per-task gates from config", () => {
  it.each([
    ["a task touching migrations", makeTask(2, "db", { scope: ["migrations/0001.sql"] }), 2],
    ["a task labelled security", makeTask(3, "auth", { labels: ["security"] }), 3],
    ["a docs task by key glob", makeTask(4, "docs-api", {}), 0],
    ["a key that only starts like the glob", makeTask(5, "xdocs-api", {}), 1],
    ["any other task (reviews.required_approvals)", makeTask(6, "ui", { scope: ["src/ui/**"] }), 1],
    ["the first matching rule wins", makeTask(7, "docs-db", { scope: ["migrations/x.sql"] }), 2],
  ])("%s needs the right number of approvals", (_name, task, expected) => {
    expect(requiredApprovalsOf(task, config)).toBe(expected);
  });

  it("falls back to the task marker's own gate, then to the default", () => {
    const task = makeTask(8, "api", { requiredApprovals: 2 });
    expect(requiredApprovalsOf(task, makeConfig({}))).toBe(2);
    expect(requiredApprovalsOf(makeTask(9, "api"), makeConfig({}))).toBe(1);
  });

  it("rejects unknown keys in a gate rule", () => {
    expect(() => makeConfig({ gates: [{ match: { path: ["x"] }, required_approvals: 1 }] })).toThrow();
  });
});
