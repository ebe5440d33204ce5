import { z } from "zod";
import { Plan } from "../core/plan/plan-schema.js";

/** A JSON Schema object as sent to model providers. */
export type JsonSchema = Record<string, unknown>;

/**
 * Keywords OpenAI strict structured outputs reject. They stay enforced locally by
 * validatePlan, so dropping them from the wire schema loses nothing.
 */
const UNSUPPORTED_IN_STRICT = new Set(["$schema", "minLength", "maxLength", "default"]);

/**
 * The plan's JSON Schema for constrained decoding (OpenAI `json_schema`, Ollama `format`),
 * derived from the one zod Plan so the wire schema can never drift from the validator.
 * Strict-mode shape: every property required, objects closed. With `agentNames`, the
 * task's `agent` becomes an enum, so a model cannot route a task to an unknown agent.
 */
export function planJsonSchema(agentNames: readonly string[] = []): JsonSchema {
  const schema = toStrict(z.toJSONSchema(Plan)) as JsonSchema;
  if (agentNames.length > 0) {
    const tasks = (schema.properties as Record<string, JsonSchema>).tasks as JsonSchema;
    const taskProps = (tasks.items as JsonSchema).properties as Record<string, JsonSchema>;
    taskProps.agent = { type: "string", enum: [...agentNames] };
  }
  return schema;
}

function toStrict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStrict);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (UNSUPPORTED_IN_STRICT.has(key)) continue;
    out[key] = key === "properties" ? mapValues(value as Record<string, unknown>, toStrict) : toStrict(value);
  }
  if (out.type === "object" && out.properties && typeof out.properties === "object") {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  return out;
}

function mapValues(record: Record<string, unknown>, fn: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}
