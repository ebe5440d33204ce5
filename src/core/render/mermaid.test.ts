import { describe, expect, it } from "vitest";
import { edgesFromDependencies, escapeMermaidLabel, renderMermaid, type MermaidNode } from "./mermaid.js";

const nodes: MermaidNode[] = [
  { key: "db", title: "Schema", state: "done", number: 11 },
  { key: "api", title: "API", state: "running", number: 12 },
  { key: "ui", title: "UI", state: "blocked" },
];

describe("renderMermaid", () => {
  const out = renderMermaid(nodes, edgesFromDependencies([
    { key: "db", dependsOn: [] },
    { key: "api", dependsOn: ["db"] },
    { key: "ui", dependsOn: ["api", "ghost"] },
  ]));

  it("is a fenced graph TD block", () => {
    const lines = out.split("\n");
    expect(lines[0]).toBe("```mermaid");
    expect(lines[1]).toBe("graph TD");
    expect(lines[lines.length - 1]).toBe("```");
  });

  it("labels nodes with issue number, key and title", () => {
    expect(out).toContain('t0["#35;11 db: Schema"]');
    expect(out).toContain('t2["ui: UI"]');
  });

  it("draws dependency edges and skips unknown keys", () => {
    expect(out).toContain("t0 --> t1");
    expect(out).toContain("t1 --> t2");
    expect(out).not.toContain("ghost");
    expect(out.match(/-->/g)).toHaveLength(2);
  });

  it("colours nodes by state with label colours", () => {
    expect(out).toMatch(/classDef st_done fill:#5319e7,stroke:#444,color:#fff/);
    expect(out).toMatch(/classDef st_blocked fill:#bfd4f2,.*color:#000/);
    expect(out).toContain("class t0 st_done");
    expect(out).toContain("class t1 st_running");
    expect(out).toContain("class t2 st_blocked");
    expect(out).not.toContain("st_failed");
  });

  it("uses a valid class name for needs-human", () => {
    expect(renderMermaid([{ key: "a", title: "A", state: "needs-human" }], [])).toContain("class t0 st_needs_human");
  });

  it("is deterministic", () => {
    expect(renderMermaid(nodes, [{ from: "db", to: "api" }])).toBe(renderMermaid(nodes, [{ from: "db", to: "api" }]));
  });

  it("cannot be broken out of by a title", () => {
    const evil = renderMermaid([{ key: "a", title: 'x"] --> evil["\n```\n@admin <img>|', state: "ready" }], []);
    const labelLine = evil.split("\n")[2] as string;
    const inner = /^  t0\["(.*)"\]$/.exec(labelLine)?.[1];
    expect(inner).toBeDefined();
    expect(inner).not.toMatch(/["<>|[\]`\n]/);
    expect(evil.split("\n")).toHaveLength(6); // fence, graph, node, classDef, class, fence
  });
});

describe("escapeMermaidLabel", () => {
  it.each([
    ['say "hi"', "say #quot;hi#quot;"],
    ["a [b] (c) {d}", "a #91;b#93; #40;c#41; #123;d#125;"],
    ["x | y", "x #124; y"],
    ["line\nbreak", "line break"],
    ["<b> & `code`", "#lt;b#gt; #amp; #96;code#96;"],
    ["#1; done", "#35;1#59; done"],
    ["plain words", "plain words"],
  ])("%j → %j", (input, expected) => {
    expect(escapeMermaidLabel(input)).toBe(expected);
  });
});
