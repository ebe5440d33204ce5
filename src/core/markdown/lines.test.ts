import { describe, expect, it } from "vitest";
import { fenceTracker, splitLines } from "./lines.js";

describe("splitLines", () => {
  it.each([
    ["a\nb", ["a", "b"]],
    ["a\r\nb", ["a", "b"]],
    ["a\rb", ["a", "b"]],
    ["a\r\n\r\nb\n", ["a", "", "b", ""]],
    ["", [""]],
  ])("%j → %j", (body, lines) => {
    expect(splitLines(body)).toEqual(lines);
  });
});

describe("fenceTracker", () => {
  // Each case: the lines of one body, and which of them are code (fence marks included).
  it.each<[string, string[], boolean[]]>([
    ["plain text is never code", ["a", "b"], [false, false]],
    ["backtick fence with its marks", ["a", "```", "x", "```", "b"], [false, true, true, true, false]],
    ["tilde fence, indented, with an info string", ["  ~~~ts", "x", "~~~"], [true, true, true]],
    ["a shorter mark does not close", ["````", "```", "x", "````", "y"], [true, true, true, true, false]],
    ["the other character does not close", ["```", "~~~", "x", "```", "y"], [true, true, true, true, false]],
    ["a longer mark closes", ["```", "x", "`````", "y"], [true, true, true, false]],
    ["two backticks are not a fence", ["``", "x"], [false, false]],
    ["an unclosed fence runs to the end", ["a", "```", "x", "y"], [false, true, true, true]],
  ])("%s", (_name, lines, code) => {
    const tracker = fenceTracker();
    expect(lines.map((line) => tracker.inCode(line))).toEqual(code);
  });

  it("keeps no state between trackers", () => {
    fenceTracker().inCode("```");
    expect(fenceTracker().inCode("x")).toBe(false);
  });
});
