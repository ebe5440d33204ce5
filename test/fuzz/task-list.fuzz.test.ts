import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTaskList } from "../../src/core/plan/parse-task-list.js";
import { anyText, BACKTRACK_CHUNKS, documentOf, expectLinear, FUZZ, FUZZ_SLOW, lineFrom, pathological } from "./fuzz-helpers.js";

/**
 * The milestone description is typed by people. Whatever they write, parsing must not
 * throw, every problem must point at a line that exists, and a well-formed list must
 * come back exactly as written.
 */

const OPTS = { defaultAgent: "claude" };
const TOKENS = [
  "## Tasks",
  "# Tasks:",
  "### tasks ###",
  "## Notes",
  "- [ ] `api` Define the API",
  "- [x] `db`: Schema",
  "1. `ui` Build the UI",
  "- `` Empty key",
  "- no key here",
  "  - depends on: `api`, `db`",
  "  - after: api, db",
  "  - agent: codex",
  "  - agent:",
  "  - estimate: 2h",
  "  - estimate: lots",
  "  - scope: src/{a,b}/**",
  "  - colour: blue",
  "  - accept: it works",
  "  > quoted body",
  "  plain body text",
  "```",
  "~~~",
  "",
];

/** Each line number in a problem (`line N`) must be a line of the body. */
function lineNumbersOf(text: string): number[] {
  return [...text.matchAll(/\bline (\d+)\b/g)].map((m) => Number(m[1]));
}

describe("parseTaskList on untrusted milestone descriptions", () => {
  it("never throws; problems carry line numbers inside the body; plans have keys and titles", () => {
    fc.assert(
      fc.property(fc.oneof(documentOf(lineFrom(TOKENS), 40), anyText), (body) => {
        const lineCount = body.split(/\r\n?|\n/).length;
        const result = parseTaskList(body, OPTS);
        if (result.ok) {
          expect(result.plan.tasks.length).toBeGreaterThan(0);
          for (const task of result.plan.tasks) {
            expect(task.key).not.toBe("");
            expect(task.title).not.toBe("");
          }
          return;
        }
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(issue.message).not.toBe("");
          if (issue.path === "") {
            expect(issue.message).toMatch(/no `## Tasks` section/);
            continue;
          }
          expect(issue.path).toMatch(/^line \d+$/);
          const [n] = lineNumbersOf(issue.path);
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(lineCount);
          expect(issue.message.startsWith(`${issue.path}:`)).toBe(true);
        }
      }),
      FUZZ,
    );
  });

  const words = fc.array(fc.constantFrom("Add", "the", "API", "x1", "fix:", "db", "#3", "C#", "(v2)"), { minLength: 1, maxLength: 5 }).map((w) => w.join(" "));
  /** A list generated from a plan: keys unique, dependencies on earlier tasks. */
  const wellFormed = fc
    .uniqueArray(fc.tuple(fc.constantFrom("a", "b", "z", "0", "9"), fc.constantFrom("", "pi", "-db", "1-x", "--")).map(([h, t]) => h + t), { minLength: 1, maxLength: 12 })
    .chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.tuple(...keys.map((_, i) => fc.subarray(keys.slice(0, i)))),
        fc.tuple(...keys.map(() => words)),
        fc.array(words, { maxLength: 3 }),
      ),
    );

  it("reads a well-formed list back exactly as written, whatever prose precedes it", () => {
    fc.assert(
      fc.property(wellFormed, ([keys, deps, titles, prose]) => {
        const lines = [...prose, "", "## Tasks", ""];
        keys.forEach((key, i) => {
          lines.push(`- [ ] \`${key}\` ${titles[i]}`);
          if ((deps[i] as string[]).length > 0) lines.push(`  - depends on: ${(deps[i] as string[]).map((d) => `\`${d}\``).join(", ")}`);
        });
        const result = parseTaskList(lines.join("\n"), OPTS);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.plan.tasks.map((t) => t.key)).toEqual(keys);
        expect(result.plan.tasks.map((t) => t.title)).toEqual(titles);
        expect(result.plan.tasks.map((t) => t.depends_on)).toEqual(deps);
        expect(result.plan.tasks.every((t) => t.agent === OPTS.defaultAgent)).toBe(true);
      }),
      FUZZ,
    );
  });

  it("names the exact line of a broken attribute inserted anywhere in a good list", () => {
    const broken = fc.constantFrom("  - colour: blue", "  - estimate: lots", "  - agent:", "  - nothing to see");
    fc.assert(
      fc.property(wellFormed, broken, fc.nat(), ([keys, , titles], bad, at) => {
        const lines = ["## Tasks"];
        keys.forEach((key, i) => lines.push(`- [ ] \`${key}\` ${titles[i]}`));
        // Right after a task line (array index `after`), so the attribute belongs to a task; it lands on line after + 2.
        const after = 1 + (at % keys.length);
        lines.splice(after + 1, 0, bad);
        const result = parseTaskList(lines.join("\n"), OPTS);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.issues.map((i) => i.path)).toContain(`line ${after + 2}`);
      }),
      FUZZ,
    );
  });

  // Regression: the heading regex `(.*?)\s*#*\s*$` was cubic (a 2 KB line of spaces
  // between a heading and closing `#`s took 11 s), and the estimate unit regex quadratic.
  it("parses a 64 KB description of backtracking bait in linear time", () => {
    fc.assert(
      fc.property(
        pathological(["## a", "## Tasks\n## a", "#", "## Tasks\n- `a` T\n  - estimate: 1", "## Tasks\n- `a`", "## Tasks\n-"], BACKTRACK_CHUNKS),
        (body) => {
          expectLinear("parseTaskList", body, () => parseTaskList(body, OPTS));
        },
      ),
      FUZZ_SLOW,
    );
  });

  it.each([
    [`## a${" ".repeat(60_000)}### x`],
    [`## Tasks\n- \`a\` T\n  - estimate: 1${" ".repeat(60_000)}hx`],
  ])("regression: %# stays linear", (body) => {
    expectLinear("parseTaskList", body, () => parseTaskList(body, OPTS));
  });
});
