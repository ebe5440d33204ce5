import { afterEach, describe, expect, it } from "vitest";
import type { PlannerName } from "../../src/core/config/config-schema.js";
import { createPlanners } from "../../src/planners/create-planners.js";
import { planWithChain } from "../../src/planners/plan-with-chain.js";
import type { PlanRequest } from "../../src/planners/planner.js";
import { startFakeLlm, type FakeLlm, type FakeLlmStep } from "../../src/sandbox/fake-llm/fake-llm.js";
import { config, fastTimers, fixturePlan, request } from "./helpers.js";

/** The whole planning flow with the real clients against the scripted server, as the sandbox demo runs it. */

let server: FakeLlm | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function planAgainst(script: FakeLlmStep[], chain: PlannerName[], req: PlanRequest = request()) {
  server = await startFakeLlm({ script });
  const cfg = config({ planner: { chain } });
  const env = { OPENAI_BASE_URL: server.openaiBaseUrl, OPENAI_API_KEY: "sk-fake", OLLAMA_HOST: server.ollamaHost };
  const result = await planWithChain(req, { chain, planners: createPlanners(cfg, env), config: cfg, clock: fastTimers(100) });
  return { result, requests: server.requests };
}

describe("fake LLM server with the real clients", () => {
  it("serves a plan over the OpenAI API", async () => {
    const { result, requests } = await planAgainst([{ kind: "plan", plan: fixturePlan("plan-valid"), tokens: { input: 10, output: 20 } }], ["openai"]);
    expect(result).toMatchObject({ ok: true, provider: "openai", usage: [{ inputTokens: 10, outputTokens: 20 }] });
    expect(requests.map((r) => [r.api, r.path])).toEqual([["openai", "/v1/chat/completions"]]);
    expect(requests[0]?.headers.authorization).toBe("Bearer sk-fake");
  });

  it("watches a repair round: invalid JSON, then a cycle, then a valid plan", async () => {
    const { result, requests } = await planAgainst(
      [{ kind: "text", text: "Sure! Here is your plan:" }, { kind: "plan", plan: fixturePlan("plan-cycle") }, { kind: "plan", plan: fixturePlan("plan-valid") }],
      ["ollama"],
    );
    expect(result).toMatchObject({ ok: true, provider: "ollama", attempts: 3 });
    expect(requests).toHaveLength(3);
    expect(requests[1]?.messages.at(-1)?.content).toMatch(/does not start with '\{'/);
    expect(requests[2]?.messages.at(-1)?.content).toMatch(/cycle: .*db-schema.*account-ui.*auth-api.*db-schema/);
    // The estimate grows with the conversation: the repair resends the whole exchange.
    expect(result.usage[0]?.inputTokens).toBeGreaterThan(0);
  });

  it.each([
    ["a refusal", { kind: "refusal", message: "I can't help with that." } as FakeLlmStep, /refused: I can't help with that/],
    ["truncation", { kind: "truncated", text: '{"rationale": "' } as FakeLlmStep, /truncated/],
    ["an HTTP 503", { kind: "status", status: 503, message: "overloaded" } as FakeLlmStep, /^HTTP 503: overloaded/],
    ["a hang", { kind: "hang" } as FakeLlmStep, /timed out/],
  ])("fails over from OpenAI to Ollama on %s", async (_name, step, reason) => {
    const { result, requests } = await planAgainst([step, { kind: "plan", plan: fixturePlan("plan-valid") }], ["openai", "ollama"]);
    expect(result).toMatchObject({ ok: true, provider: "ollama" });
    expect(requests.map((r) => r.api)).toEqual(["openai", "ollama"]);
    const alone = await (async () => {
      await server?.close();
      return planAgainst([step], ["openai"]);
    })();
    expect(alone.result.ok ? "" : alone.result.failures[0]?.reason).toMatch(reason);
  });

  it("sends no hidden text to the model", async () => {
    const body = "Build accounts.<!-- SECRET-INSTRUCTION --><details>SECRET-DETAILS</details>\u200B";
    const { requests } = await planAgainst([{ kind: "plan", plan: fixturePlan("plan-valid") }], ["openai"], request({ milestone: { number: 3, title: "Accounts", body } }));
    const sent = JSON.stringify(requests[0]?.body);
    expect(sent).toContain("Build accounts.");
    expect(sent).not.toMatch(/SECRET-|<!--|\\u200b/i);
  });

  it("answers 500 when its script is exhausted", async () => {
    const { result } = await planAgainst([], ["openai"]);
    expect(result.ok ? "" : result.failures[0]?.reason).toMatch(/^HTTP 500: fake LLM script is exhausted/);
  });
});
