import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load as parse } from "js-yaml";
import { ArchitectConfig, defaultConfig } from "../../src/core/config/config-schema.js";

// architect.config.yml documents the built-in defaults; the schema holds them. They must agree,
// or the App (which layers the file) and the CLI or an empty repository file mean different things.
describe("architect.config.yml", () => {
  const file = ArchitectConfig.parse(parse(readFileSync("architect.config.yml", "utf8")));
  const defaults = defaultConfig();

  it.each(Object.keys(defaults) as (keyof typeof defaults)[])("states the schema's default for %s", (key) => {
    expect(file[key]).toEqual(defaults[key]);
  });

  it("sets no key the schema does not default", () => {
    expect(Object.keys(file).sort()).toEqual(Object.keys(defaults).sort());
  });
});
