import { describe, expect, it } from "vitest";
import { renderControlComment } from "../../src/app/planning.js";
import { defaultConfig } from "../../src/core/config/config-schema.js";
import type { MilestoneControl } from "../../src/core/decide/snapshot.js";
import { decodeMarker } from "../../src/core/markers/markers.js";

function control(tasks: number): MilestoneControl {
  return {
    planId: "p1",
    plan: {
      rationale: "Split by module.",
      tasks: Array.from({ length: tasks }, (_, i) => ({
        key: `task-${i}`,
        title: `Implement module ${i} of the importer`,
        body: `Move the parsing of section ${i} into its own module and cover it with tests; keep the public API unchanged.`,
        acceptance: [`Section ${i} parses the fixtures`],
        depends_on: i > 0 ? [`task-${i - 1}`] : [],
        agent: "claude",
        agent_reason: "general coding",
        labels: [],
        scope: [`src/importer/section-${i}/**`, `test/importer/section-${i}.test.ts`],
        estimate: 1,
      })),
    },
    requestedBy: "maria",
    approvedBy: "maria",
    paused: false,
    budgetApprovedUsd: 0,
    usage: [],
    retryGrants: {},
    removedKeys: [],
    handledCommands: [1],
  };
}

describe("the control comment", () => {
  it.each([3, 30, 60])("fits GitHub's comment limit with %i tasks and keeps the full plan in its marker", (n) => {
    const body = renderControlComment(control(n), defaultConfig(), [], null);
    expect(body.length).toBeLessThan(65_536);
    expect(decodeMarker("control", body)?.plan.tasks).toHaveLength(n);
  });

  it("folds fewer task details when the marker is large", () => {
    const small = renderControlComment(control(3), defaultConfig(), [], null);
    const large = renderControlComment(control(60), defaultConfig(), [], null);
    expect(small).toContain("Task details");
    expect(large.length).toBeLessThan(65_536);
    expect(large).toMatch(/more tasks? not shown here|graph and task details are left out/);
  });

  it("leaves out the graph for a plan near the limit, and a plan too large even then stays over it (planning refuses it)", () => {
    const huge = renderControlComment(control(100), defaultConfig(), [], null);
    expect(huge).not.toContain("```mermaid");
    expect(huge).toMatch(/graph and task details are left out/);
    expect(huge.length).toBeGreaterThan(60_000);
  });
});
