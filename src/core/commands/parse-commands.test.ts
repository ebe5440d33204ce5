/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { renderHelp, renderUnknownCommand } from "./command-help.js";
import { COMMANDS } from "./command-registry.js";
import { parseCommands, type Command } from "./parse-commands.js";

describe("parseCommands", () => {
  it.each<[string, string, Command[]]>([
    ["plain", "/architect plan", [{ kind: "plan" }]],
    ["upper case", "/ARCHITECT PLAN", [{ kind: "plan" }]],
    ["leading spaces", "   /architect approve", [{ kind: "approve" }]],
    ["leading tab", "\t/architect status", [{ kind: "status" }]],
    ["trailing spaces", "/architect pause   ", [{ kind: "pause" }]],
    ["trailing punctuation", "/architect resume.", [{ kind: "resume" }]],
    ["after other lines", "Looks good!\n\n/architect approve\nthanks", [{ kind: "approve" }]],
    ["CRLF", "hello\r\n/architect doctor\r\n", [{ kind: "doctor" }]],
    ["several in order", "/architect pause\n/architect status", [{ kind: "pause" }, { kind: "status" }]],
    ["bare prefix asks for help", "/architect", [{ kind: "help" }]],
    ["retry all", "/architect retry", [{ kind: "retry", issue: null }]],
    ["retry one with #", "/architect retry #12", [{ kind: "retry", issue: 12 }]],
    ["cancel one without #", "/architect cancel 7", [{ kind: "cancel", issue: 7 }]],
    ["cancel all", "/architect cancel", [{ kind: "cancel", issue: null }]],
    ["bad issue argument", "/architect retry soon", [{ kind: "invalid", verb: "retry", message: "usage: /architect retry [#issue]" }]],
    ["issue zero", "/architect cancel #0", [{ kind: "invalid", verb: "cancel", message: "usage: /architect cancel [#issue]" }]],
    ["unknown verb", "/architect deploy now", [{ kind: "unknown", verb: "deploy" }]],
    ["every registry verb", COMMANDS.filter((c) => !c.takesIssue).map((c) => `/architect ${c.verb}`).join("\n"), COMMANDS.filter((c) => !c.takesIssue).map((c) => ({ kind: c.verb }) as Command)],
  ])("reads: %s", (_name, body, expected) => {
    expect(parseCommands(body)).toEqual(expected);
  });

  it.each([
    ["quoted reply", "> /architect plan"],
    ["indented quote", "  > /architect plan"],
    ["nested quote", "> > /architect approve"],
    ["inline code", "`/architect plan`"],
    ["mid-sentence", "please run /architect plan later"],
    ["no space after prefix", "/architectplan"],
    ["other prefix", "/architects plan"],
    ["backtick fence", "```\n/architect plan\n```"],
    ["tilde fence", "~~~md\n/architect approve\n~~~"],
    ["indented fence", "  ```\n/architect approve\n  ```"],
    ["unclosed fence", "```\n/architect approve"],
    ["longer fence not closed by a shorter one", "````\n```\n/architect approve\n````"],
    ["hidden HTML comment", "<!--\n/architect approve\n-->"],
    ["zero-width joiner (neutralised bot text)", "\u200D/architect approve"],
    ["empty", ""],
  ])("ignores: %s", (_name, body) => {
    expect(parseCommands(body)).toEqual([]);
  });

  it("reads commands after a closed fence and after a closed HTML comment", () => {
    const body = "```\n/architect plan\n```\n<!-- note -->\n<!--\nx\n-->\n/architect status";
    expect(parseCommands(body)).toEqual([{ kind: "status" }]);
  });
});

describe("renderHelp", () => {
  it("lists every command with its usage and marks read-only ones", () => {
    const help = renderHelp();
    for (const c of COMMANDS) {
      expect(help).toContain(`\`${c.usage}\``);
      expect(help).toContain(c.description);
    }
    expect(help).toMatch(/\| `\/architect status` \| .* _\(anyone\)_ \|/);
    expect(help).not.toMatch(/\| `\/architect approve` \| .*_\(anyone\)_/);
  });

  it("never contains a line that would parse as a command", () => {
    expect(parseCommands(renderHelp())).toEqual([]);
    expect(parseCommands(renderUnknownCommand("deploy"))).toEqual([]);
  });

  it("shows an unknown verb as code without letting it break out", () => {
    expect(renderUnknownCommand("x`@admin\n")).toContain("`/architect x@admin` is not a command");
  });
});

describe("docs/commands.md", () => {
  const files = import.meta.glob<string>("../../../docs/commands.md", { query: "?raw", import: "default", eager: true });
  const doc = Object.values(files)[0] ?? "";

  it.each(COMMANDS.map((c) => [c.usage]))("documents %s", (usage) => {
    expect(doc).toContain(usage);
  });

  // The code obeys and answers only people with write access (src/app/commands.ts refuses
  // everyone else, whatever the verb): every command's row must say so.
  it.each(COMMANDS.map((c) => [c.usage]))("says %s is for people with write access", (usage) => {
    const row = doc.split("\n").find((line) => line.startsWith(`| \`${usage}\``));
    expect(row?.trimEnd().endsWith("| write access |"), row).toBe(true);
  });
});
