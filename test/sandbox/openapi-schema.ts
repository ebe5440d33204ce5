/**
 * OpenAPI 3.0 schemas use `nullable: true`, which JSON Schema (ajv) does not know.
 * Rewrite it into JSON Schema: add "null" to `type` (and to `enum`), or wrap in anyOf.
 */
export function toJsonSchema(schema: unknown, seen = new Map<object, unknown>()): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, seen));
  if (!schema || typeof schema !== "object") return schema;
  if (seen.has(schema)) return seen.get(schema);
  const out: Record<string, unknown> = {};
  seen.set(schema, out);
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable" || key === "example" || key === "examples") continue;
    out[key] = key === "properties" || key === "patternProperties"
      ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v, seen)]))
      : toJsonSchema(value, seen);
  }
  if ((schema as { nullable?: boolean }).nullable !== true) return out;
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    return out;
  }
  const wrapped = { anyOf: [out, { type: "null" }] };
  seen.set(schema, wrapped);
  return wrapped;
}
