import { z } from "zod";
import { ArchitectConfig } from "./config-schema.js";

/**
 * The configuration's JSON Schema, as text, for editors (`# yaml-language-server: $schema=…`).
 * Generated from the zod schema (the input side: keys with defaults are optional), so it
 * cannot disagree with what the App accepts.
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ArchitectConfig, { io: "input", target: "draft-2020-12" });
  return `${JSON.stringify({ ...schema, title: "Architect configuration (.github/architect.yml)" }, null, 2)}\n`;
}
