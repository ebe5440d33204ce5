import { describe, expect, it } from "vitest";
import type { PlannerName } from "../../src/core/config/config-schema.js";
import { createMarkdownPlanner } from "../../src/planners/markdown-planner.js";
import { planWithChain } from "../../src/planners/plan-with-chain.js";
import type { Planner, PlannerAttempt, RepairTurn } from "../../src/planners/planner.js";
import { config, fixturePlan, hastyClock, request } from "./helpers.js";

type Step = PlannerAttempt | "hang" | "throw";

/** A planner that answers from a script and records the repairs it was sent. */
function scripted(name: PlannerName, model: string, steps: Step[]): Planner & { calls: RepairTurn[][] } {
  const calls: RepairTurn[][] = [];
  return {
    name,
    calls,
    plan: async (_req, _signal, repairs = []) => {
      calls.push([...repairs]);
      const step = steps.shift();
      if (step === undefined) throw new Error("script exhausted");
      if (step === "hang") return new Promise<PlannerAttempt>(() => {});
      if (step === "throw") throw new Error("socket hang up");
      return step;
    },
  };
}

const usage = (provider: string, model: string, inputTokens = 1_000_000, outputTokens = 500_000) => ({ provider, model, inputTokens, outputTokens, usd: 0 });
const answer = (text: string, model = "gpt-4.1-mini", provider = "openai"): PlannerAttempt => ({ kind: "answer", text, usage: usage(provider, model) });
const valid = JSON.stringify(fixturePlan("plan-valid"));
const cycle = JSON.stringify(fixturePlan("plan-cycle"));

function run(planners: Partial<Record<PlannerName, Planner>>, chain: PlannerName[], overrides: Record<string, unknown> = {}, req = request()) {
  const cfg = config(overrides);
  return planWithChain(req, { chain, planners, config: cfg, clock: hastyClock });
}

describe("planWithChain", () => {
  it("returns the first valid plan with its priced usage", async () => {
    const openai = scripted("openai", "gpt-4.1-mini", [answer(valid)]);
    const result = await run({ openai }, ["openai"]);
    expect(result).toMatchObject({ ok: true, provider: "openai", attempts: 1 });
    if (!result.ok) return;
    expect(result.plan.tasks.map((t) => t.key)).toEqual(["db-schema", "auth-api", "account-ui"]);
    // 1M input tokens at $0.40 + 0.5M output tokens at $1.60
    expect(result.usage).toEqual([{ provider: "openai", model: "gpt-4.1-mini", inputTokens: 1_000_000, outputTokens: 500_000, usd: 1.2 }]);
  });

  it("repairs invalid JSON by sending the parse problem back to the same model", async () => {
    const openai = scripted("openai", "gpt-4.1-mini", [answer('{"rationale": "x", "tasks": ['), answer(valid)]);
    const result = await run({ openai }, ["openai"]);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(openai.calls[0]).toEqual([]);
    expect(openai.calls[1]?.[0]?.answer).toBe('{"rationale": "x", "tasks": [');
    expect(openai.calls[1]?.[0]?.problems).toMatch(/not valid JSON/);
    expect(result.usage[0]).toMatchObject({ inputTokens: 2_000_000, outputTokens: 1_000_000, usd: 2.4 });
  });

  it("repairs a cycle; the repair names the cycle's path", async () => {
    const openai = scripted("openai", "gpt-4.1-mini", [answer(cycle), answer(valid)]);
    const result = await run({ openai }, ["openai"]);
    expect(result.ok).toBe(true);
    expect(openai.calls[1]?.[0]?.problems).toMatch(/cycle: .*db-schema.*account-ui.*auth-api.*db-schema/);
  });

  it.each([
    ["fenced JSON", "```json\n" + valid + "\n```", /code fence/],
    ["prose before the JSON", "Here is the plan: " + valid, /does not start with/],
    ["an unknown agent", valid.replace('"codex"', '"gemini"'), /gemini/],
  ])("repairs %s", async (_name, bad, problem) => {
    const openai = scripted("openai", "gpt-4.1-mini", [answer(bad), answer(valid)]);
    const result = await run({ openai }, ["openai"]);
    expect(result.ok).toBe(true);
    expect(openai.calls[1]?.[0]?.problems).toMatch(problem);
  });

  it("stops after max_repairs and fails over; every call is counted", async () => {
    const ollama = scripted("ollama", "llama3.1", [answer("nope", "llama3.1", "ollama"), answer("nope", "llama3.1", "ollama"), answer("nope", "llama3.1", "ollama")]);
    const openai = scripted("openai", "gpt-4.1-mini", [answer(valid)]);
    const result = await run({ ollama, openai }, ["ollama", "openai"], { planner: { max_repairs: 2 } });
    expect(ollama.calls).toHaveLength(3);
    expect(result).toMatchObject({ ok: true, provider: "openai", attempts: 4 });
    expect(result.usage.map((u) => [u.provider, u.inputTokens])).toEqual([["ollama", 3_000_000], ["openai", 1_000_000]]);
  });

  it.each([0, 1, 3])("with max_repairs %i, an always-invalid model is called max_repairs + 1 times", async (maxRepairs) => {
    const openai = scripted("openai", "gpt-4.1-mini", Array.from({ length: 6 }, () => answer(cycle)));
    const result = await run({ openai }, ["openai"], { planner: { max_repairs: maxRepairs } });
    expect(openai.calls).toHaveLength(maxRepairs + 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures[0]?.reason).toMatch(/still invalid/);
    expect(result.failures[0]?.issues?.some((i) => i.code === "cycle")).toBe(true);
  });

  it.each([
    ["a refusal", { kind: "failed", reason: "the model refused: no", usage: usage("ollama", "llama3.1") } as Step, /refused/],
    ["a truncated answer", { kind: "failed", reason: "the answer was truncated (done_reason: length)", usage: null } as Step, /truncated/],
    ["a thrown error", "throw" as Step, /socket hang up/],
    ["a hang past the timeout", "hang" as Step, /timed out after 120s/],
  ])("fails over without repair on %s", async (_name, step, reason) => {
    const ollama = scripted("ollama", "llama3.1", [step]);
    const openai = scripted("openai", "gpt-4.1-mini", [answer(valid)]);
    const result = await run({ ollama, openai }, ["ollama", "openai"]);
    expect(ollama.calls).toHaveLength(1);
    expect(result).toMatchObject({ ok: true, provider: "openai" });
    const failed = await run({ ollama: scripted("ollama", "llama3.1", [step]) }, ["ollama"]);
    expect(failed.ok ? "" : failed.failures[0]?.reason).toMatch(reason);
  });

  it("reports one reason per provider when all fail, with the tokens they used", async () => {
    const ollama = scripted("ollama", "llama3.1", ["hang"]);
    const openai = scripted("openai", "gpt-4.1-mini", [{ kind: "failed", reason: "the model refused: I can't", usage: usage("openai", "gpt-4.1-mini", 10, 5) }]);
    const result = await run({ ollama, openai, markdown: createMarkdownPlanner() }, ["ollama", "openai", "markdown"]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures.map((f) => f.provider)).toEqual(["ollama", "openai", "markdown"]);
    expect(result.failures.map((f) => f.reason)).toEqual([
      "timed out after 120s",
      "the model refused: I can't",
      expect.stringMatching(/no `## Tasks` section/),
    ]);
    expect(result.usage).toEqual([{ provider: "openai", model: "gpt-4.1-mini", inputTokens: 10, outputTokens: 5, usd: 0.000012 }]);
  });

  it("names a provider that is in the chain but not available", async () => {
    const result = await run({}, ["openai"]);
    expect(result).toEqual({ ok: false, failures: [{ provider: "openai", reason: "planner is not available in this App" }], usage: [], attempts: 0 });
  });

  it("never repairs the deterministic markdown planner", async () => {
    const body = "## Tasks\n- [ ] `a` A\n  - depends on: `b`\n- [ ] `b` B\n  - depends on: `a`";
    const result = await run({ markdown: createMarkdownPlanner() }, ["markdown"], {}, request({ milestone: { number: 1, title: "t", body } }));
    expect(result).toMatchObject({ ok: false, attempts: 1, usage: [] });
    if (result.ok) return;
    expect(result.failures[0]?.issues?.map((i) => i.code)).toEqual(["cycle"]);
  });

  it("plans from a markdown task list at zero cost", async () => {
    const body = "## Tasks\n- [ ] `a` A\n- [ ] `b` B\n  - depends on: `a`";
    const result = await run({ markdown: createMarkdownPlanner() }, ["markdown"], {}, request({ milestone: { number: 1, title: "t", body } }));
    expect(result).toMatchObject({ ok: true, provider: "markdown", usage: [] });
  });

  it("asks for a repair when a re-plan drops a done or running task", async () => {
    const plan = fixturePlan("plan-valid");
    const withoutUi = JSON.stringify({ ...plan, tasks: plan.tasks.slice(0, 2) });
    const openai = scripted("openai", "gpt-4.1-mini", [answer(withoutUi), answer(valid)]);
    const req = request({ previous: { plan, keepKeys: ["account-ui"] } });
    const result = await run({ openai }, ["openai"], {}, req);
    expect(result.ok).toBe(true);
    expect(openai.calls[1]?.[0]?.problems).toMatch(/"account-ui" is done or running/);
  });

  it("accepts a re-plan that still drops a kept task after the repairs, with a warning, for the caller to re-insert", async () => {
    const plan = fixturePlan("plan-valid");
    const withoutUi = JSON.stringify({ ...plan, tasks: plan.tasks.slice(0, 2) });
    const openai = scripted("openai", "gpt-4.1-mini", [answer(withoutUi), answer(withoutUi)]);
    const result = await run({ openai }, ["openai"], { planner: { max_repairs: 1 } }, request({ previous: { plan, keepKeys: ["account-ui"] } }));
    expect(openai.calls).toHaveLength(2);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.tasks.map((t) => t.key)).toEqual(["db-schema", "auth-api"]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ severity: "warning", message: expect.stringMatching(/"account-ui" is done or running/) }));
  });

  it("takes a hand-written task list as written on a re-plan", async () => {
    const body = "## Tasks\n- [ ] `a` A";
    const req = request({ milestone: { number: 1, title: "t", body }, previous: { plan: fixturePlan("plan-valid"), keepKeys: ["db-schema"] } });
    const result = await run({ markdown: createMarkdownPlanner() }, ["markdown"], {}, req);
    expect(result).toMatchObject({ ok: true, attempts: 1 });
  });
});
