import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load as parse } from "js-yaml";
import { ACTION_BUNDLE, buildActionBundle } from "../../scripts/build-action.js";

/** The agent runner ships as a JavaScript action whose one file is built from src/agent-runner. */
describe("agent-action", () => {
  const action = parse(readFileSync("agent-action/action.yml", "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, { required?: boolean }> };

  it("is a node24 JavaScript action whose main is the committed bundle", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.mjs" });
    expect(`agent-action/${action.runs.main}`).toBe(ACTION_BUNDLE);
    expect(existsSync(ACTION_BUNDLE)).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(["step"]);
  });

  it("has a committed bundle identical to a fresh build of the source (run `npm run build:action`)", async () => {
    const fresh = await buildActionBundle();
    const committed = readFileSync(ACTION_BUNDLE, "utf8");
    // Compared by equality, not printed: a mismatch means the action would run stale code.
    expect(committed === fresh, `${ACTION_BUNDLE} is out of date: run npm run build:action and commit it`).toBe(true);
  });
});
