import { describe, expect, it } from "vitest";
import type { PlannedTask } from "../plan/plan-schema.js";
import { codeSpan, formatEstimate, renderTaskBody } from "./task-body.js";


function task(overrides: Partial<PlannedTask> = {}): PlannedTask {
  return {
    key: "api-schema",
    title: "Define the API schema",
    body: "Write the OpenAPI document for the accounts API.",
    acceptance: ["The schema validates the example payloads", "Docs updated"],
    depends_on: ["db-schema"],
    agent: "claude",
    agent_reason: "good at API design",
    labels: [],
    scope: ["src/api/**", "docs/api.md"],
    estimate: 2,
    ...overrides,
  };
}

describe("renderTaskBody", () => {
  it("shows body, acceptance checklist, scope, agent with reason, and estimate in that order", () => {
    const out = renderTaskBody(task());
    const order = [
      "Write the OpenAPI document",
      "### Acceptance",
      "- [ ] The schema validates the example payloads",
      "- [ ] Docs updated",
      "### Scope",
      "- `src/api/**`",
      "- `docs/api.md`",
      "### Agent",
      "**claude** — good at API design",
      "**Estimate:** 2 agent-hours",
    ];
    const positions = order.map((s) => out.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("says when acceptance and scope are missing instead of leaving empty headings", () => {
    const out = renderTaskBody(task({ acceptance: [], scope: [], body: "" }));
    expect(out).toMatch(/### Acceptance\n\n_No acceptance criteria/);
    expect(out).toMatch(/### Scope\n\n_Not declared/);
    expect(out.startsWith("### Acceptance")).toBe(true);
  });

  it("neutralises every planner-authored field", () => {
    const out = renderTaskBody(
      task({
        body: "Hey @alice, closes #1 ![x](https://evil.test/?d=1) <script>",
        acceptance: ["@org/admins approve\nfixes #2"],
        agent: "<b>x</b>",
        agent_reason: "ask @bob",
        scope: ["src/`@evil`/**\n<x>"],
      }),
    );
    const prose = out.replace(/`[^`\n]*`/g, "").replace(/<code>[^<]*<\/code>/g, "");
    expect(prose).not.toMatch(/(^|[^A-Za-z0-9])@[a-z]/m);
    expect(out).not.toMatch(/closes #1|fixes #2/);
    expect(out).not.toContain("evil.test");
    expect(out).not.toMatch(/<(script|b)/);
    expect(prose).not.toMatch(/#\d/);
    expect(out).toContain("<code>@alice</code>");
    expect(out).toContain("- `src/@evil/**<x>`");
  });
});

describe("helpers", () => {
  it.each([
    [1, "1 agent-hour"],
    [2, "2 agent-hours"],
    [0.5, "0.5 agent-hours"],
    [1.234, "1.23 agent-hours"],
  ])("formatEstimate(%s) = %s", (hours, text) => {
    expect(formatEstimate(hours)).toBe(text);
  });

  it.each([
    ["src/**", "`src/**`"],
    ["a`b", "`ab`"],
    ["``", "` `"],
  ])("codeSpan(%j) = %j", (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });
});
