import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../src/core/config/config-json-schema.js";

const published = readFileSync("docs/architect.config.schema.json", "utf8");

describe("the published JSON Schema of the configuration", () => {
  it("is the one generated from the zod schema (run: npx tsx scripts/write-config-schema.ts)", () => {
    expect(published).toBe(configJsonSchema());
  });

  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(published));

  it("accepts the built-in defaults file", () => {
    expect(validate(load(readFileSync("architect.config.yml", "utf8")))).toBe(true);
  });

  it.each([
    ["an unknown key", { caps: { milestone: 2, typo: 1 } }],
    ["a wrong type", { caps: { milestone: "two" } }],
    ["an unknown planner", { planner: { chain: ["gpt"] } }],
  ])("rejects %s as the App does", (_name, config) => {
    expect(validate(config)).toBe(false);
  });
});
