import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dump as stringify } from "js-yaml";
import { parseDefaults, resolveRepoConfig, type ConfigResult } from "../../src/app/config-loader.js";
import { anyText, documentOf, FUZZ, FUZZ_SLOW, lineFrom } from "./fuzz-helpers.js";

/**
 * `.github/architect.yml` is written by anyone with push access to the default branch.
 * Whatever it holds, loading must not throw, and a rejection must tell a person either
 * that the YAML is broken or which key is wrong.
 */

const defaults = parseDefaults(readFileSync("architect.config.yml", "utf8"));

/** Every problem names a key, or says the file is not YAML, or not a mapping. */
const PROBLEM = /^(key `[^`]*`: \S|not valid YAML( at line \d+, column \d+)?: |the file must be a YAML mapping)/;

function expectExplained(result: ConfigResult): void {
  if (result.ok) return;
  expect(result.file).toBe(".github/architect.yml");
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) expect(problem).toMatch(PROBLEM);
}

const KEYS = ["version", "planner", "chain", "max_tasks", "approval", "plan", "caps", "repo", "milestone", "agents", "name", "kind", "tool", "command", "default_agent", "retries", "max_attempts", "reviews", "timeouts", "merge", "mode", "advance_on", "budget", "usd", "prices", "resync_minutes", "__proto__", "constructor"];
const SCALARS = ["1", "0", "-1", "1e400", "~", "null", "true", "yes", "''", '"x"', "[]", "{}", "[markdown, gpt]", "claude", "!!binary aGk=", "&a 1", "*a", "*missing", "|", ">-", "!!str", "'unterminated", "[", "{a: 1", "2001-12-14"];

/** Lines of YAML-ish text: keys at random indents with random scalars, lists and anchors. */
const yamlLine = fc
  .tuple(fc.constantFrom("", "  ", "    ", "- ", "  - ", "\t"), fc.constantFrom(...KEYS), fc.constantFrom(":", ": ", " :", ""), fc.constantFrom(...SCALARS, ""))
  .map(([indent, key, sep, value]) => `${indent}${key}${sep}${value}`);

/** Objects shaped like the config: known keys at any depth, values of any type. */
const configish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("node"), { maxKeys: 5 }),
    fc.array(tie("node"), { maxLength: 3 }),
  ),
})).node;

describe("resolveRepoConfig on untrusted repository files", () => {
  it("never throws on YAML-ish text; every problem names a key or the YAML error", () => {
    fc.assert(
      fc.property(fc.oneof(documentOf(fc.oneof(yamlLine, lineFrom(["---", "...", "# comment", "%YAML 1.2", "? key", "<<: *a"])), 20), anyText), (text) => {
        expectExplained(resolveRepoConfig(text, defaults.raw));
      }),
      FUZZ,
    );
  });

  it("never throws on any object serialised as YAML", () => {
    fc.assert(
      fc.property(fc.oneof(configish, fc.object({ maxDepth: 3 })), (value) => {
        expectExplained(resolveRepoConfig(stringify(value), defaults.raw));
      }),
      { ...FUZZ, numRuns: 60 },
    );
  });

  it("accepts in-range overrides of numeric keys and applies them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 6 }), (milestone, attempts, approvals) => {
        const result = resolveRepoConfig(stringify({ caps: { milestone }, retries: { max_attempts: attempts }, reviews: { required_approvals: approvals } }), defaults.raw);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.config.caps.milestone).toBe(milestone);
        expect(result.config.retries.max_attempts).toBe(attempts);
        expect(result.config.reviews.required_approvals).toBe(approvals);
        expect(result.config.agents).toEqual(defaults.config.agents);
      }),
      FUZZ,
    );
  });

  it("names the key of an out-of-range or mistyped value", () => {
    const bad = fc.oneof(fc.integer({ min: 101, max: 1e9 }), fc.integer({ max: 0 }), fc.string(), fc.boolean(), fc.constant(null), fc.double({ min: 1.01, max: 99.99, noInteger: true }));
    fc.assert(
      fc.property(bad, (value) => {
        const result = resolveRepoConfig(stringify({ caps: { milestone: value } }), defaults.raw);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problems.some((p) => p.startsWith("key `caps.milestone`"))).toBe(true);
      }),
      FUZZ,
    );
  });

  it.each([
    ["deeply nested mappings", `caps:\n${Array.from({ length: 2_000 }, (_, i) => `${"  ".repeat(i + 1)}a${i}:`).join("\n")} 1\n`],
    ["deeply nested flow sequences", `agents: ${"[".repeat(5_000)}${"]".repeat(5_000)}\n`],
    ["a deep object under an unknown key", stringify({ nope: JSON.parse(`${'{"a":'.repeat(500)}1${"}".repeat(500)}`) })],
    ["a megabyte string value", `default_agent: ${"a".repeat(1 << 20)}\n`],
    ["a megabyte key", `${"k".repeat(1 << 20)}: 1\n`],
    ["a billion-laughs alias bomb", ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(",")}]`)].join("\n")],
    ["an alias cycle via merge keys", "a: &a\n  <<: *a\n  x: 1\n"],
    ["an undefined alias", "caps: *nothing\n"],
    ["a duplicate key", "caps: {}\ncaps: {}\n"],
    ["many documents", "caps: {}\n---\ncaps: {}\n"],
    ["a byte-order mark and NULs", "\ufeffcaps:\u0000 {}\n"],
  ])("survives %s with a clear answer", (_name, text) => {
    const result = resolveRepoConfig(text, defaults.raw);
    expectExplained(result);
    expect(result.ok).toBe(false);
  });

  it("survives random alias bombs of any fan-out", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), (width, depth) => {
        const lines = ["l0: &l0 [x]"];
        for (let i = 1; i <= depth; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
        expectExplained(resolveRepoConfig(lines.join("\n"), defaults.raw));
      }),
      FUZZ_SLOW,
    );
  });
});
