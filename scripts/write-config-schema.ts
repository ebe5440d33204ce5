// Writes docs/architect.config.schema.json, the JSON Schema of `.github/architect.yml`,
// generated from the zod schema so editors validate what the App validates.
// Run: npx tsx scripts/write-config-schema.ts (a test fails when the file is stale).
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/core/config/config-json-schema.js";

const path = "docs/architect.config.schema.json";
writeFileSync(path, configJsonSchema());
console.log(`wrote ${path}`);
