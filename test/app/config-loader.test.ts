import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deepMerge, layerConfig, parseDefaults, resolveRepoConfig } from "../../src/app/config-loader.js";

const defaults = parseDefaults(readFileSync("architect.config.yml", "utf8"));

describe("resolveRepoConfig", () => {
  it("uses the App defaults when the repository has no file", () => {
    const result = resolveRepoConfig(null, defaults.raw);
    expect(result.ok && result.config.caps.milestone).toBe(defaults.config.caps.milestone);
  });

  it("merges a repository file over the defaults key by key", () => {
    const result = resolveRepoConfig("caps:\n  milestone: 2\napproval:\n  plan: required\n", defaults.raw);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.caps).toEqual({ repo: defaults.config.caps.repo, milestone: 2 });
    expect(result.config.approval.plan).toBe("required");
    expect(result.config.agents).toEqual(defaults.config.agents);
  });

  it.each([
    ["an unknown key", "planer:\n  chain: [openai]\n", /key `\(top level\)`.*planer|Unrecognized key.*planer/],
    ["a wrong type", "caps:\n  milestone: many\n", /key `caps\.milestone`/],
    ["an unknown planner", "planner:\n  chain: [markdown, gpt]\n", /key `planner\.chain\[1\]`/],
    ["a default agent that is not configured", "default_agent: devin\n", /key `default_agent`.*devin/],
    ["duplicate agent names", "agents:\n  - name: a\n  - name: a\ndefault_agent: a\n", /key `agents\[1\]\.name`: duplicate/],
    ["invalid YAML", "caps: [\n", /not valid YAML at line 2, column 1: /],
    ["a duplicated key, by line, column and the line's text", "caps:\n  milestone: 2\n  milestone: 3\n", /not valid YAML at line 3, column 3: duplicated mapping key \(`milestone: 3`\)/],
    ["a tab where indentation belongs", "caps:\n\tmilestone: 2\n", /not valid YAML at line 2, column \d+: /],
    ["an alias bomb", `a: &a [x]\n${Array.from({ length: 60 }, (_, i) => `k${i}: *a`).join("\n")}\n`, /not valid YAML.*alias/i],
    ["a list at the top level", "- a\n- b\n", /must be a YAML mapping/],
  ])("reports %s with the file and the key", (_name, text, pattern) => {
    const result = resolveRepoConfig(text, defaults.raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.file).toBe(".github/architect.yml");
    expect(result.problems.join("\n")).toMatch(pattern);
  });

  it("collects every problem, not only the first", () => {
    const result = resolveRepoConfig("caps:\n  milestone: 0\nretries:\n  max_attempts: -1\n", defaults.raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.length).toBeGreaterThanOrEqual(2);
  });
});

describe("App-only keys", () => {
  it("rejects resync_minutes in a repository file: one timer serves every repository, so it would be ignored", () => {
    const result = resolveRepoConfig("resync_minutes: 1\ncaps:\n  milestone: 2\n", defaults.raw);
    expect(result).toEqual({
      ok: false,
      file: ".github/architect.yml",
      problems: [expect.stringMatching(/^key `resync_minutes`: not a repository setting .*architect\.config\.yml/)],
    });
  });

  it("still lists the file's other problems next to it", () => {
    const result = resolveRepoConfig("resync_minutes: 1\ncaps:\n  milestone: 0\n", defaults.raw);
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/resync_minutes/), expect.stringMatching(/caps\.milestone/)]);
  });

  it("allows it in the App's own defaults and in the CLI's --config layer", () => {
    expect(parseDefaults("resync_minutes: 3\n").config.resync_minutes).toBe(3);
    const cli = layerConfig(defaults.raw, { text: "resync_minutes: 3\n", file: "local.yml" });
    expect(cli.ok && cli.config.resync_minutes).toBe(3);
  });
});

describe("layerConfig", () => {
  it("merges a file over the defaults and names that file in problems", () => {
    const ok = layerConfig(defaults.raw, { text: "caps:\n  repo: 2\n", file: "mine.yml" });
    expect(ok.ok && [ok.config.caps, ok.config.agents.map((a) => a.name)]).toEqual([{ repo: 2, milestone: defaults.config.caps.milestone }, ["claude", "codex"]]);
    const bad = layerConfig(defaults.raw, { text: "caps:\n  repo: -1\n", file: "mine.yml" });
    expect(bad).toMatchObject({ ok: false, file: "mine.yml" });
  });
});

describe("deepMerge", () => {
  it.each([
    [{ a: { b: 1, c: 2 } }, { a: { b: 3 } }, { a: { b: 3, c: 2 } }],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    [{ a: { b: 1 } }, { a: null }, { a: null }],
  ])("merges %j with %j", (base, over, expected) => {
    expect(deepMerge(base, over)).toEqual(expected);
  });

  it("ignores prototype-polluting keys", () => {
    const merged = deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(merged.polluted).toBeUndefined();
  });
});

describe("parseDefaults", () => {
  it("throws on an invalid defaults file, naming the key", () => {
    expect(() => parseDefaults("caps:\n  repo: -3\n")).toThrow(/caps\.repo/);
  });
});
