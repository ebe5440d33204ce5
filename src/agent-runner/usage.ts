import { z } from "zod";

/**
 * What one agent run cost, from the tool's own report (docs/agents.md, "Cost"):
 * - Claude Code `--output-format json` prints one result object with `total_cost_usd`,
 *   `usage` (input/output and cache tokens) and `modelUsage` keyed by model name.
 * - Codex `exec --json` prints JSON lines; each `turn.completed` event carries `usage`
 *   (`input_tokens`, `cached_input_tokens`, `output_tokens`). It reports no price: Architect
 *   prices the tokens with its `prices` table, by model name.
 * Pure parsers over the tool's stdout; anything unreadable yields null (the run still
 * counts, its cost is unknown).
 */

/** One run's usage as the runner reports it to Architect (in the PR's run marker). */
export const RunUsage = z
  .object({
    tool: z.string().max(32),
    /** The model the tokens are priced by; "" when the tool did not say and the config names none. */
    model: z.string().max(100),
    inputTokens: z.number().int().min(0).max(1e12),
    outputTokens: z.number().int().min(0).max(1e12),
    /** Dollars as the tool itself reported them; null when it reports tokens only. */
    usd: z.number().min(0).max(1e6).nullable(),
    /** Wall time of the tool, in seconds. */
    seconds: z.number().min(0).max(1e7),
  })
  .strict();
export type RunUsage = z.infer<typeof RunUsage>;

/** Usage from Claude Code's JSON result (the last JSON object printed that has `type: "result"`). */
export function parseClaudeResult(stdout: string): Omit<RunUsage, "tool" | "seconds"> | null {
  const result = lastJsonObject(stdout, (o) => o.type === "result");
  if (!result) return null;
  const usage = (result.usage ?? {}) as Record<string, unknown>;
  const models = Object.keys((result.modelUsage ?? {}) as Record<string, unknown>);
  const input = num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + num(usage.cache_read_input_tokens);
  return {
    model: models[0] ?? "",
    inputTokens: input,
    outputTokens: num(usage.output_tokens),
    usd: typeof result.total_cost_usd === "number" && result.total_cost_usd >= 0 ? result.total_cost_usd : null,
  };
}

/** Usage summed over Codex's `turn.completed` events; null when there were none. */
export function parseCodexEvents(stdout: string, model: string): Omit<RunUsage, "tool" | "seconds"> | null {
  let input = 0;
  let output = 0;
  let turns = 0;
  for (const line of stdout.split("\n")) {
    const event = parseObject(line.trim());
    if (event?.type !== "turn.completed") continue;
    const usage = (event.usage ?? {}) as Record<string, unknown>;
    // cached_input_tokens is part of input_tokens in the Responses API's accounting.
    input += num(usage.input_tokens);
    output += num(usage.output_tokens);
    turns++;
  }
  return turns === 0 ? null : { model, inputTokens: input, outputTokens: output, usd: null };
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

function parseObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function lastJsonObject(stdout: string, accept: (o: Record<string, unknown>) => boolean): Record<string, unknown> | null {
  const whole = parseObject(stdout.trim());
  if (whole && accept(whole)) return whole;
  const lines = stdout.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const o = parseObject(lines[i]!.trim());
    if (o && accept(o)) return o;
  }
  return null;
}
