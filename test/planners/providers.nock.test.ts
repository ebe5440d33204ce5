import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PlannerName } from "../../src/core/config/config-schema.js";
import { createPlanners } from "../../src/planners/create-planners.js";
import { planWithChain } from "../../src/planners/plan-with-chain.js";
import type { Env } from "../../src/planners/provider-error.js";
import { ollamaChat, ollamaError, openAiCompletion, openAiError } from "../../src/sandbox/fake-llm/wire-format.js";
import { config, fastTimers, fixturePlan, request } from "./helpers.js";

/**
 * The real `openai` and `ollama` clients against nock, with the endpoints and bodies the
 * official APIs use: what the clients send is asserted, and what they parse is the APIs'
 * own response format.
 */

const OPENAI = "https://api.openai.com";
const OLLAMA = "http://127.0.0.1:11434";
const KEY = "sk-test-canary-0123456789abcdef";
const valid = JSON.stringify(fixturePlan("plan-valid"));
const cycle = JSON.stringify(fixturePlan("plan-cycle"));

interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  [key: string]: unknown;
}

/** Record the bodies of matching requests while replying in order. */
function expectOpenAi(replies: [number, unknown][], bodies: ChatBody[] = [], base = OPENAI, path = "/v1/chat/completions") {
  const scope = nock(base);
  for (const [status, reply] of replies) {
    scope.post(path, (body: ChatBody) => (bodies.push(body), true)).reply(status, reply as nock.Body);
  }
  return bodies;
}

function expectOllama(replies: [number, unknown][], bodies: ChatBody[] = [], base = OLLAMA) {
  const scope = nock(base);
  for (const [status, reply] of replies) scope.post("/api/chat", (body: ChatBody) => (bodies.push(body), true)).reply(status, reply as nock.Body);
  return bodies;
}

const openAiAnswer = (content: string | null, extra: { refusal?: string; finish?: "stop" | "length" } = {}) =>
  openAiCompletion("gpt-4.1-mini-2025-04-14", { content, refusal: extra.refusal ?? null, finish: extra.finish ?? "stop" }, { input: 1200, output: 300 });
const ollamaAnswer = (content: string, finish: "stop" | "length" = "stop") => ollamaChat("llama3.1", { content, finish }, { input: 900, output: 250 });

function plan(chain: PlannerName[], env: Env = { OPENAI_API_KEY: KEY }) {
  const cfg = config({ planner: { chain } });
  return planWithChain(request(), { chain, planners: createPlanners(cfg, env), config: cfg, clock: fastTimers(100) });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.abortPendingRequests();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("openai planner (wire format)", () => {
  it("sends a strict json_schema request and reads the plan and token usage", async () => {
    const bodies: ChatBody[] = [];
    nock(OPENAI, { reqheaders: { authorization: `Bearer ${KEY}` } })
      .post("/v1/chat/completions", (body: ChatBody) => (bodies.push(body), true))
      .reply(200, openAiAnswer(valid));
    const result = await plan(["openai"]);
    expect(result).toMatchObject({ ok: true, provider: "openai", attempts: 1 });
    expect(result.usage).toEqual([{ provider: "openai", model: "gpt-4.1-mini", inputTokens: 1200, outputTokens: 300, usd: 0.00096 }]);
    const body = bodies[0] as ChatBody & { response_format: { type: string; json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } } };
    expect(body.model).toBe("gpt-4.1-mini");
    expect(body.temperature).toBe(0.2);
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "plan", strict: true } });
    const schema = body.response_format.json_schema.schema as { additionalProperties: boolean; required: string[]; properties: { tasks: { items: { properties: { agent: unknown }; required: string[] } } } };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["rationale", "tasks"]);
    expect(schema.properties.tasks.items.properties.agent).toEqual({ type: "string", enum: ["claude", "codex"] });
    expect(schema.properties.tasks.items.required).toContain("scope");
    expect(JSON.stringify(schema)).not.toMatch(/maxLength|minLength|\$schema/);
  });

  it("repairs invalid JSON: the second request carries the bad answer and the problem", async () => {
    const bodies = expectOpenAi([[200, openAiAnswer('{"rationale": "half')], [200, openAiAnswer(valid)]]);
    const result = await plan(["openai"]);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const repair = bodies[1]?.messages ?? [];
    expect(repair.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(repair[2]?.content).toBe('{"rationale": "half');
    expect(repair[3]?.content).toMatch(/not valid JSON/);
    expect(result.usage[0]).toMatchObject({ inputTokens: 2400, outputTokens: 600 });
  });

  it("fails over on a refusal, counting its tokens", async () => {
    expectOpenAi([[200, openAiAnswer(null, { refusal: "I'm sorry, I can't help with that." })]]);
    expectOllama([[200, ollamaAnswer(valid)]]);
    const result = await plan(["openai", "ollama"]);
    expect(result).toMatchObject({ ok: true, provider: "ollama", attempts: 2 });
    expect(result.usage.map((u) => u.provider)).toEqual(["openai", "ollama"]);
  });

  it("fails over on truncation (finish_reason: length)", async () => {
    expectOpenAi([[200, openAiAnswer(valid.slice(0, 50), { finish: "length" })]]);
    const result = await plan(["openai"]);
    expect(result.ok ? "" : result.failures[0]?.reason).toBe("the answer was truncated (finish_reason: length)");
  });

  it("talks to an OpenAI-compatible server at OPENAI_BASE_URL, without a key", async () => {
    const bodies = expectOpenAi([[200, openAiAnswer(valid)]], [], "http://vllm.local:8000", "/v1/chat/completions");
    const result = await plan(["openai"], { OPENAI_BASE_URL: "http://vllm.local:8000/v1" });
    expect(result).toMatchObject({ ok: true, provider: "openai" });
    expect(bodies).toHaveLength(1);
  });

  it("fails with a clear reason and no request when OPENAI_API_KEY is missing", async () => {
    const result = await plan(["openai"], {});
    expect(result).toMatchObject({ ok: false, attempts: 1, failures: [{ provider: "openai", reason: "OPENAI_API_KEY is not set in the App's environment" }] });
  });
});

describe("ollama planner (wire format)", () => {
  it("sends format = the plan schema, stream false and the temperature; reads eval counts", async () => {
    const bodies = expectOllama([[200, ollamaAnswer(valid)]]);
    const result = await plan(["ollama"]);
    expect(result).toMatchObject({ ok: true, provider: "ollama" });
    expect(result.usage).toEqual([{ provider: "ollama", model: "llama3.1", inputTokens: 900, outputTokens: 250, usd: 0 }]);
    expect(bodies[0]).toMatchObject({ model: "llama3.1", stream: false, options: { temperature: 0.2 } });
    expect((bodies[0]?.format as { required: string[] }).required).toEqual(["rationale", "tasks"]);
  });

  it("repairs a cycle: the repair request names the cycle's path", async () => {
    const bodies = expectOllama([[200, ollamaAnswer(cycle)], [200, ollamaAnswer(valid)]]);
    const result = await plan(["ollama"]);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const last = bodies[1]?.messages.at(-1)?.content ?? "";
    expect(last).toMatch(/cycle: .*db-schema.*account-ui.*auth-api.*db-schema/);
  });

  it("uses OLLAMA_HOST from the environment", async () => {
    expectOllama([[200, ollamaAnswer(valid)]], [], "http://gpu-box:11434");
    const result = await plan(["ollama"], { OLLAMA_HOST: "http://gpu-box:11434" });
    expect(result.ok).toBe(true);
  });

  it("fails over to OpenAI when Ollama does not answer in time", async () => {
    // A reply that never comes: only the chain's deadline can end this call.
    nock(OLLAMA).post("/api/chat").reply(() => new Promise<never>(() => {}));
    expectOpenAi([[200, openAiAnswer(valid)]]);
    const result = await plan(["ollama", "openai"]);
    expect(result).toMatchObject({ ok: true, provider: "openai", attempts: 2 });
  });
});

describe("every provider failing", () => {
  it("gives one reason per provider and leaks no key", async () => {
    expectOllama([[500, ollamaError("model 'llama3.1' not found")]]);
    expectOpenAi([[401, openAiError(`Incorrect API key provided: ${KEY}.`, "invalid_request_error")]]);
    const result = await plan(["ollama", "openai"]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures.map((f) => f.provider)).toEqual(["ollama", "openai"]);
    expect(result.failures[0]?.reason).toMatch(/^HTTP 500: model 'llama3.1' not found/);
    expect(result.failures[1]?.reason).toMatch(/^HTTP 401: Incorrect API key provided: \[redacted\]/);
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(result)).not.toContain("sk-test");
  });
});
