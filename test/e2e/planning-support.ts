import { afterEach } from "vitest";
import type { PlannedTask } from "../../src/core/plan/plan-schema.js";
import { startStack, type Stack, type StackOptions } from "../../src/harness/stack.js";
import type { Issue } from "../../src/sandbox/emulator/model.js";
import { startFakeLlm, type FakeLlm, type FakeLlmStep } from "../../src/sandbox/fake-llm/fake-llm.js";

/**
 * A planned task with plain defaults, so each model-planning scenario writes only the
 * fields it is about (its key, its edges, and whatever the scenario changes).
 */
export function plannedTask(key: string, dependsOn: string[], extra: Partial<PlannedTask> = {}): PlannedTask {
  return {
    key,
    title: `Build ${key}`,
    body: `Implement ${key}.`,
    acceptance: [`${key} works`],
    depends_on: dependsOn,
    agent: "claude",
    agent_reason: "General coding.",
    labels: [],
    scope: [`src/${key}/**`],
    estimate: 1,
    ...extra,
  };
}

/** The app's own comments on an issue: what a user would see it say. */
export const botComments = (issue: Issue) => issue.comments.filter((c) => c.user.login.endsWith("[bot]"));

/** One fake model server and one stack per test, stopped after it whatever the outcome. */
export interface ModelStack {
  /** The model server of the running test; throws if none was started. */
  readonly llm: FakeLlm;
  /** Starts the model server, then a stack whose options may point at it. */
  start(script: FakeLlmStep[], options: (llm: FakeLlm) => StackOptions): Promise<Stack>;
}

/**
 * Registers an `afterEach` that stops the test's stack and model server, so a failed
 * scenario never leaves servers (and their timers) running into the next one. Call it
 * once at the top of a test file.
 */
export function useModelStack(): ModelStack {
  let stack: Stack | null = null;
  let llm: FakeLlm | null = null;
  afterEach(async () => {
    await stack?.stop();
    await llm?.close();
    stack = null;
    llm = null;
  });
  return {
    get llm(): FakeLlm {
      if (llm === null) throw new Error("no fake model server is running: call start() first");
      return llm;
    },
    async start(script, options) {
      llm = await startFakeLlm({ script });
      stack = await startStack(options(llm));
      return stack;
    },
  };
}
