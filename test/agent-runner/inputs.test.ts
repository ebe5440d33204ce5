import { describe, expect, it } from "vitest";
import { INPUT_ENV, parseRunnerInputs, type InputName } from "../../src/agent-runner/inputs.js";

const valid: Record<InputName, string> = {
  task: "34",
  milestone: "12",
  attempt: "2",
  branch: "architect/34-add-login-form",
  base: "main",
  agent: "claude",
  mode: "retry",
  run_key: "architect 12/34/3/retry",
  review_id: "",
  correlation_id: "m9012-t34",
};

function env(overrides: Partial<Record<InputName, string | undefined>> = {}): Record<string, string | undefined> {
  const values = { ...valid, ...overrides };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [INPUT_ENV[name as InputName], value]));
}

describe("parseRunnerInputs", () => {
  it("accepts a well-formed dispatch and derives the run key and sequence", () => {
    const result = parseRunnerInputs(env());
    expect(result).toEqual({
      ok: true,
      inputs: {
        task: 34,
        milestone: 12,
        attempt: 2,
        branch: "architect/34-add-login-form",
        base: "main",
        agent: "claude",
        mode: "retry",
        runTitle: "architect 12/34/3/retry",
        runKey: "12/34/3/retry",
        seq: 3,
        reviewId: null,
        correlationId: "m9012-t34",
      },
    });
  });

  it("takes the review id in mode review, and requires it there only (issue 10)", () => {
    const review = parseRunnerInputs(env({ mode: "review", run_key: "architect 12/34/3/review", review_id: "2201" }));
    expect(review.ok && review.inputs.reviewId).toBe(2201);
    const missing = parseRunnerInputs(env({ mode: "review", run_key: "architect 12/34/3/review", review_id: "" }));
    expect(missing.ok ? [] : missing.errors).toEqual([expect.stringContaining("'review_id' is required in mode 'review'")]);
    const stray = parseRunnerInputs(env({ review_id: "2201" }));
    expect(stray.ok ? [] : stray.errors).toEqual([expect.stringContaining("'review_id' is only allowed in mode 'review'")]);
  });

  it.each<[InputName, string | undefined]>([
    ["task", undefined],
    ["task", "1; rm -rf /"],
    ["task", "$(id)"],
    ["task", "0"],
    ["milestone", "12 "],
    ["attempt", "-1"],
    ["branch", "main"],
    ["branch", 'architect/34-x";echo${IFS}"hi";#'],
    ["branch", "architect/34-UPPER"],
    ["base", "--upload-pack=evil"],
    ["base", "a b"],
    ["base", "feature/../../etc"],
    ["base", "main.lock"],
    ["agent", "Claude"],
    ["agent", "a".repeat(33)],
    ["agent", "claude\nmalicious"],
    ["mode", "implement"],
    ["run_key", "architect 12/34/3/retry; whoami"],
    ["run_key", "12/34/3/retry"],
    ["review_id", "0"],
    ["review_id", "12a"],
    ["review_id", "1; id"],
  ])("rejects %s = %j", (name, value) => {
    const result = parseRunnerInputs(env({ [name]: value }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.some((e) => e.includes(`'${name}'`))).toBe(true);
  });

  it.each([
    ["a branch of another task", { branch: "architect/35-add-login-form" }, "'branch'"],
    ["a run title of another task", { run_key: "architect 12/35/3/retry" }, "'run_key'"],
    ["a run title of another mode", { run_key: "architect 12/34/3/review" }, "'run_key'"],
  ])("rejects %s", (_label, overrides, field) => {
    const result = parseRunnerInputs(env(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("\n")).toContain(field);
  });

  it("reports every bad input at once and never echoes a rejected value", () => {
    const result = parseRunnerInputs(env({ task: "EVIL-TASK", agent: "EVIL-AGENT" }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(2);
      expect(result.errors.join("\n")).not.toContain("EVIL");
    }
  });
});
