import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { buildPullBody, mergeRunCosts } from "../../src/agent-runner/pr-body.js";
import { readRunCost } from "../../src/agent-runner/publish.js";
import { readUsage } from "../../src/agent-runner/run-agent.js";
import { parseClaudeResult, parseCodexEvents } from "../../src/agent-runner/usage.js";
import { testInputs } from "./helpers.js";

// Trimmed from real output of Claude Code 2.1.197 (`-p --output-format json`) and Codex 0.171.0 (`exec --json`).
const CLAUDE_RESULT = JSON.stringify({
  type: "result",
  subtype: "success",
  is_error: false,
  num_turns: 3,
  result: "Done.",
  total_cost_usd: 0.05195,
  usage: { input_tokens: 9965, cache_creation_input_tokens: 10, cache_read_input_tokens: 25, output_tokens: 85 },
  modelUsage: { "claude-opus-4-8[1m]": { inputTokens: 9965, outputTokens: 85, costUSD: 0.05195 } },
});
const CODEX_EVENTS = [
  '{"type":"thread.started","thread_id":"01a2"}',
  '{"type":"turn.started"}',
  '{"type":"item.completed","item":{"id":"item_0","type":"file_change","changes":[{"path":"/w/src/b.txt","kind":"add"}],"status":"completed"}}',
  '{"type":"turn.completed","usage":{"input_tokens":55627,"cached_input_tokens":1000,"cache_write_input_tokens":0,"output_tokens":190,"reasoning_output_tokens":0}}',
  '{"type":"turn.started"}',
  '{"type":"turn.completed","usage":{"input_tokens":373,"cached_input_tokens":0,"output_tokens":10}}',
].join("\n");

describe("reading a tool's usage report", () => {
  it("takes Claude Code's cost, tokens (cache included) and model from its JSON result", () => {
    expect(parseClaudeResult(`${CLAUDE_RESULT}\n`)).toEqual({ model: "claude-opus-4-8[1m]", inputTokens: 10000, outputTokens: 85, usd: 0.05195 });
  });

  it("sums Codex's turn.completed token counts and leaves the price to Architect", () => {
    expect(parseCodexEvents(CODEX_EVENTS, "gpt-6.2-sol")).toEqual({ model: "gpt-6.2-sol", inputTokens: 56000, outputTokens: 200, usd: null });
  });

  it("yields nothing from output without a report (a crashed tool, plain text)", () => {
    expect(parseClaudeResult("Error: Not logged in\n")).toBeNull();
    expect(parseCodexEvents('{"type":"thread.started"}\nnot json\n', "m")).toBeNull();
  });

  it("adds the tool, the planned model when the tool names none, and the wall time", () => {
    const plan = { kind: "spawn" as const, tool: "codex" as const, install: null, argv: ["codex"], promptOnStdin: true, usage: "codex-jsonl" as const, model: "gpt-4.1" };
    expect(readUsage(plan, CODEX_EVENTS, 12.345)).toEqual({ tool: "codex", model: "gpt-4.1", inputTokens: 56000, outputTokens: 200, usd: null, seconds: 12.3 });
    expect(readUsage({ ...plan, usage: null }, CODEX_EVENTS, 1)).toBeNull();
  });
});

describe("reporting it in the PR", () => {
  const cost = { runKey: "1/7/1/initial", tool: "claude-code", model: "m", inputTokens: 100, outputTokens: 5, usd: 0.25, seconds: 42 };

  it("puts every publishing run's cost in the run marker, this run's replacing its earlier entry", () => {
    const first = buildPullBody(testInputs(), { tool: "claude-code", runUrl: "u", costs: mergeRunCosts(null, cost) });
    expect(first).toContain("Cost of this run: $0.2500 (claude-code, m, 100 input + 5 output tokens, 42 s).");
    const retry = { ...cost, runKey: "1/7/2/retry", usd: 0.5 };
    const merged = mergeRunCosts(first, retry);
    expect(merged.map((c) => [c.runKey, c.usd])).toEqual([["1/7/1/initial", 0.25], ["1/7/2/retry", 0.5]]);
    expect(mergeRunCosts(first, { ...cost, usd: 0.3 }).map((c) => c.usd)).toEqual([0.3]);
    const body = buildPullBody(testInputs({ run_key: "architect 1/7/2/retry", attempt: "2", mode: "retry" }), { tool: "claude-code", runUrl: "u", costs: merged });
    expect(decodeMarker("run", body)).toEqual({ task: 7, runKey: "1/7/2/retry", correlationId: "m1001-t7", costs: merged });
  });

  it("keeps the earlier costs when a run reports none", () => {
    const body = buildPullBody(testInputs(), { tool: "claude-code", runUrl: "u", costs: [cost] });
    expect(mergeRunCosts(body, null)).toEqual([cost]);
  });

  it("reads the agent job's usage file, ignoring a missing or malformed one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "architect-usage-"));
    expect(await readRunCost(dir, "k")).toBeNull();
    writeFileSync(join(dir, "usage.json"), JSON.stringify({ tool: "codex", model: "m", inputTokens: -1, outputTokens: 0, usd: null, seconds: 1 }));
    expect(await readRunCost(dir, "k")).toBeNull();
    writeFileSync(join(dir, "usage.json"), "{not json");
    expect(await readRunCost(dir, "k")).toBeNull();
    writeFileSync(join(dir, "usage.json"), JSON.stringify({ tool: "codex", model: "m", inputTokens: 3, outputTokens: 4, usd: null, seconds: 1 }));
    expect(await readRunCost(dir, "k")).toEqual({ runKey: "k", tool: "codex", model: "m", inputTokens: 3, outputTokens: 4, usd: null, seconds: 1 });
  });
});
