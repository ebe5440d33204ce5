import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { buildCommitMessage, buildPullBody, buildPullTitle } from "../../src/agent-runner/pr-body.js";
import { testInputs } from "./helpers.js";

describe("buildPullBody", () => {
  const inputs = testInputs({ task: "42", branch: "architect/42-x", run_key: "architect 1/42/3/review", mode: "review", attempt: "2", review_id: "77" });
  const body = buildPullBody(inputs, { tool: "claude-code", runUrl: "https://github.com/acme/shop/actions/runs/99" });

  it("closes the task on merge", () => {
    expect(body.split("\n")[0]).toBe("Closes #42");
  });

  it("carries a run marker Architect decodes back to the task, run key and correlation id", () => {
    expect(decodeMarker("run", body)).toEqual({ task: 42, runKey: "1/42/3/review", correlationId: "m1001-t7" });
    expect(body).toContain("Correlation id: `m1001-t7`");
  });

  it("leaves the correlation id out when the dispatch carried none", () => {
    const older = buildPullBody(testInputs({ correlation_id: "" }), { tool: "claude-code", runUrl: "https://github.com/acme/shop/actions/runs/99" });
    expect(decodeMarker("run", older)).toEqual({ task: 7, runKey: "1/7/1/initial" });
    expect(older).not.toContain("Correlation id");
  });

  it("links the run and names the agent", () => {
    expect(body).toContain("https://github.com/acme/shop/actions/runs/99");
    expect(body).toContain("by agent `claude` (claude-code), review run 3, attempt 2");
  });
});

describe("buildPullTitle", () => {
  it.each([
    ["a plain title", "Add the API", "Add the API (#7)"],
    ["hidden text and newlines", "Add<!-- x --> the\nAPI\u200B", "Add the API (#7)"],
    ["an empty title", "  ", "Task #7 (#7)"],
  ])("handles %s", (_label, title, expected) => {
    expect(buildPullTitle(7, title)).toBe(expected);
  });

  it("stays within GitHub's 256-character limit and keeps the task number", () => {
    const title = buildPullTitle(123456, "word ".repeat(200));
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title.endsWith("… (#123456)")).toBe(true);
  });
});

describe("buildCommitMessage", () => {
  it("holds ids only", () => {
    expect(buildCommitMessage(testInputs(), "aider")).toBe("architect: task #7 (initial run 1)\n\nAgent: claude (aider)\nRun-Key: 1/7/1/initial\nRefs: #7");
  });
});
