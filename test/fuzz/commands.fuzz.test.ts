import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommands, type Command } from "../../src/core/commands/parse-commands.js";
import { COMMANDS } from "../../src/core/commands/command-registry.js";
import { anyText, BACKTRACK_CHUNKS, documentOf, expectLinear, FUZZ, FUZZ_SLOW, lineFrom, ONE_MB, pathological } from "./fuzz-helpers.js";

/**
 * Comment bodies are written by anyone who can comment. Whatever they type, parsing
 * must not throw, must only ever yield well-formed commands, and must never find a
 * command where a person only quoted, fenced or hid one.
 */

const VERBS = new Set(COMMANDS.map((c) => c.verb));
const TOKENS = [
  "/architect",
  "/architect plan",
  "/ARCHITECT Retry #12",
  "/architect retry 0",
  "/architect cancel #999999999999",
  "/architect retry #3 #4",
  "/architect frobnicate",
  "  /architect approve.",
  "> /architect plan",
  "```",
  "~~~~",
  "````js",
  "<!--",
  "-->",
  "<!-- /architect plan -->",
  "`/architect plan`",
  "please run /architect plan",
  "",
];

/** A command is well formed when the shell can act on it without further checks. */
function assertWellFormed(command: Command): void {
  switch (command.kind) {
    case "unknown":
      expect(command.verb.length).toBeLessThanOrEqual(40);
      expect(VERBS.has(command.verb as never)).toBe(false);
      return;
    case "invalid":
      expect(VERBS.has(command.verb)).toBe(true);
      expect(command.message).toMatch(/^usage: \/architect /);
      return;
    case "retry":
    case "cancel":
      if (command.issue !== null) {
        expect(Number.isSafeInteger(command.issue)).toBe(true);
        expect(command.issue).toBeGreaterThan(0);
      }
      return;
    default:
      expect(VERBS.has(command.kind)).toBe(true);
  }
}

/** Prose that cannot open a fence, quote or comment and does not start with the prefix. */
const prose = fc
  .string({ maxLength: 60 })
  .map((s) => s.replace(/[\r\n`~<>]/g, " "))
  .filter((s) => !/^\s*\/architect/i.test(s));

describe("parseCommands on untrusted comment bodies", () => {
  it("never throws and yields only well-formed commands", () => {
    fc.assert(
      fc.property(fc.oneof(documentOf(lineFrom(TOKENS)), anyText), (body) => {
        for (const command of parseCommands(body)) assertWellFormed(command);
      }),
      FUZZ,
    );
  });

  it("finds at most one command per line", () => {
    fc.assert(
      fc.property(documentOf(lineFrom(TOKENS)), (body) => {
        expect(parseCommands(body).length).toBeLessThanOrEqual(body.split(/\r\n?|\n/).length);
      }),
      FUZZ,
    );
  });

  it("finds a command typed alone on its line, whatever prose surrounds it", () => {
    fc.assert(
      fc.property(fc.array(prose, { maxLength: 5 }), fc.array(prose, { maxLength: 5 }), fc.integer({ min: 1, max: 999_999_999 }), (before, after, issue) => {
        const body = [...before, `/architect retry #${issue}`, ...after].join("\n");
        expect(parseCommands(body)).toEqual([{ kind: "retry", issue }]);
      }),
      FUZZ,
    );
  });

  it.each([
    ["a fenced block", (inner: string) => `\`\`\`\n${inner}\n\`\`\``],
    ["a tilde fence left open", (inner: string) => `~~~\n${inner}`],
    ["quoted lines", (inner: string) => inner.split("\n").map((l) => `> ${l}`).join("\n")],
    ["an HTML comment", (inner: string) => `<!--\n${inner}\n-->`],
  ])("never finds a command inside %s", (_name, wrap) => {
    fc.assert(
      fc.property(fc.array(fc.oneof(prose, fc.constantFrom("/architect plan", "/architect cancel", " /architect approve")), { maxLength: 8 }), (lines) => {
        const inner = lines.map((l) => l.replace(/-->/g, "")).join("\n");
        expect(parseCommands(wrap(inner))).toEqual([]);
      }),
      FUZZ,
    );
  });

  it.each(["/architect plan ", "<!--", "> /architect plan\n"])("handles a megabyte of %j without throwing", (unit) => {
    const commands = parseCommands(unit.repeat(Math.ceil(ONE_MB / unit.length)));
    for (const command of commands) assertWellFormed(command);
    expect(commands.length).toBeLessThanOrEqual(1);
  });

  // Regression: `<!--[\s\S]*-->` and a lazy `(.*?)\s*$` made these quadratic (a 64 KB
  // comment of `<!--` took minutes, `/architect x` + spaces + `x` took 23 s).
  it("parses a 64 KB comment of repeated backtracking bait in linear time", () => {
    fc.assert(
      fc.property(pathological(["", "/architect x", "/architect ", "<!--", "> "], BACKTRACK_CHUNKS), (body) => {
        expectLinear("parseCommands", body, () => parseCommands(body));
      }),
      FUZZ_SLOW,
    );
  });

  it.each([
    ["<!--".repeat(16_384)],
    [`/architect x${" ".repeat(65_000)}x`],
  ])("regression: %# stays linear", (body) => {
    expectLinear("parseCommands", body, () => parseCommands(body));
  });
});
