import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ArchitectConfig } from "../../src/core/config/config-schema.js";
import type { Plan } from "../../src/core/plan/plan-schema.js";
import type { PlanRequest } from "../../src/planners/planner.js";
import type { Clock } from "../../src/shared/clock.js";

/** Shared builders for planner tests. */

export const FIXTURES = fileURLToPath(new URL("../fixtures/llm/", import.meta.url));

export function fixturePlan(name: "plan-valid" | "plan-cycle"): Plan {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, "utf8")) as Plan;
}

export function config(overrides: Record<string, unknown> = {}): ArchitectConfig {
  return ArchitectConfig.parse({
    agents: [
      { name: "claude", capabilities: "careful backend work" },
      { name: "codex", capabilities: "UI and tests" },
    ],
    default_agent: "claude",
    prices: { "gpt-4.1-mini": { input_per_mtok: 0.4, output_per_mtok: 1.6 }, "llama3.1": { input_per_mtok: 0, output_per_mtok: 0 } },
    ...overrides,
  });
}

export function request(overrides: Partial<PlanRequest> = {}): PlanRequest {
  const cfg = config();
  return {
    milestone: { number: 7, title: "Add user accounts", body: "Visitors can sign up and log in." },
    comments: [],
    repo: { defaultBranch: "main", files: ["README.md", "src/index.ts"], readmeHead: "# Demo app", labels: ["bug", "backend"] },
    agents: cfg.agents,
    defaultAgent: cfg.default_agent,
    limits: { maxTasks: 30, maxDepth: 10 },
    ...overrides,
  };
}

/** A clock whose timers fire after a few real milliseconds, whatever they ask for: timeouts without waiting. */
export const hastyClock: Clock = {
  now: () => 0,
  sleep: async () => {},
  setTimer: (_ms, fn) => {
    const handle = setTimeout(fn, 30);
    return () => clearTimeout(handle);
  },
};

/** A clock whose timers run `factor` times faster than asked: a 120 s planner timeout fires after 1.2 s at 100. */
export function fastTimers(factor: number): Clock {
  return {
    now: () => 0,
    sleep: async () => {},
    setTimer: (ms, fn) => {
      const handle = setTimeout(fn, ms / factor);
      return () => clearTimeout(handle);
    },
  };
}
