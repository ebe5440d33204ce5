import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlannedTask } from "../../src/core/plan/plan-schema.js";
import { validatePlan, type ValidatePlanResult } from "../../src/core/plan/validate-plan.js";
import { parseModelAnswer } from "../../src/planners/parse-answer.js";
import { anyText, FUZZ, FUZZ_SLOW, ONE_MB } from "./fuzz-helpers.js";

/**
 * Model output is the least trusted input Architect reads. Whatever comes back, the
 * answer parser and the plan validator must not throw, a rejection must say why, and the
 * graph verdict must be right: every DAG passes, every injected cycle is reported with a
 * path that really is a cycle of the input.
 */

const OPTS = { agents: ["claude", "codex"], maxTasks: 100, maxDepth: 100 };
const FIELDS = ["key", "title", "body", "acceptance", "depends_on", "agent", "agent_reason", "labels", "scope", "estimate", "extra"];

function task(key: string, depends_on: string[], over: Partial<PlannedTask> = {}): PlannedTask {
  return { key, title: `Task ${key}`, body: "", acceptance: [], depends_on, agent: "claude", agent_reason: "", labels: [], scope: [], estimate: 1, ...over };
}

function expectExplained(result: ValidatePlanResult): void {
  if (result.ok) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(typeof issue.message).toBe("string");
    expect(issue.message.trim()).not.toBe("");
    expect(["error", "warning"]).toContain(issue.severity);
  }
  expect(result.issues.some((i) => i.severity === "error")).toBe(true);
}

/** Values of every JSON type, for any field. */
const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, -1, 1e309, "", "a", [], {}, ["a"], ["a", 1]));

/** Task-shaped records: known field names with random values, sometimes an extra key. */
const looseTask = fc.dictionary(fc.constantFrom(...FIELDS), jsonish, { maxKeys: FIELDS.length });
const loosePlan = fc.record(
  { rationale: jsonish, tasks: fc.oneof(fc.array(looseTask, { maxLength: 8 }), jsonish), extra: jsonish },
  { requiredKeys: [] },
);

/** A random DAG in topological order: each task depends on some earlier tasks. */
const dag = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc
    .tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j), { maxLength: Math.min(i, 4) })))
    .map((deps) => deps.map((d, i) => task(`t${i}`, d.map((j) => `t${j}`)))),
);

/** Keys reachable from `from` by following dependency edges. */
function reachableFrom(tasks: readonly PlannedTask[], from: string): Set<string> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const seen = new Set<string>();
  const stack = [...(byKey.get(from)?.depends_on ?? [])];
  while (stack.length > 0) {
    const k = stack.pop() as string;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...(byKey.get(k)?.depends_on ?? []));
  }
  return seen;
}

describe("validatePlan on untrusted model output", () => {
  it("never throws on any value, and every rejection says why", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), jsonish, loosePlan), (input) => {
        expectExplained(validatePlan(input, OPTS));
      }),
      FUZZ,
    );
  });

  it("rejects wrong types and extra keys in an otherwise valid plan, naming the field", () => {
    fc.assert(
      fc.property(dag, fc.nat(), fc.constantFrom(...FIELDS), jsonish, (tasks, at, field, value) => {
        const i = at % tasks.length;
        const broken = tasks.map((t, j) => (j === i ? { ...t, [field]: value } : t));
        const result = validatePlan({ rationale: "", tasks: broken }, OPTS);
        expectExplained(result);
        if (!result.ok && result.issues.some((x) => x.code === "schema")) {
          expect(result.issues.some((x) => x.path.startsWith(`tasks[${i}]`))).toBe(true);
        }
      }),
      FUZZ,
    );
  });

  it("accepts every DAG, in any order", () => {
    fc.assert(
      fc.property(dag.chain((tasks) => fc.shuffledSubarray(tasks, { minLength: tasks.length })), (tasks) => {
        const result = validatePlan({ rationale: "r", tasks }, OPTS);
        expect(result.ok ? [] : result.issues).toEqual([]);
        if (result.ok) expect(result.plan.tasks.map((t) => t.key)).toEqual(tasks.map((t) => t.key));
      }),
      FUZZ,
    );
  });

  it("rejects a DAG with an injected back-edge, reporting a real closed cycle of the input", () => {
    fc.assert(
      fc.property(dag, fc.nat(), fc.nat(), (tasks, a, b) => {
        // Pick `to` and one of the keys `to` (transitively) depends on; `from -> to` then closes a cycle.
        const to = tasks[a % tasks.length] as PlannedTask;
        const below = [...reachableFrom(tasks, to.key)];
        const from = below.length > 0 ? (below[b % below.length] as string) : to.key;
        const cyclic = tasks.map((t) => (t.key === from ? { ...t, depends_on: [...t.depends_on, to.key] } : t));
        if (from === to.key) {
          // No dependency below: make a two-task cycle with another task instead.
          const other = tasks.find((t) => t.key !== to.key);
          if (!other) return; // a single task cannot form a cycle without depending on itself
          cyclic.forEach((t, i) => {
            if (t.key === to.key) cyclic[i] = { ...t, depends_on: [...t.depends_on, other.key] };
            if (t.key === other.key) cyclic[i] = { ...t, depends_on: [...t.depends_on, to.key] };
          });
        }
        const result = validatePlan({ rationale: "", tasks: cyclic }, OPTS);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const cycles = result.issues.filter((i) => i.code === "cycle");
        expect(cycles.length).toBeGreaterThan(0);
        const edges = new Map(cyclic.map((t) => [t.key, new Set(t.depends_on)]));
        for (const issue of cycles) {
          const path = issue.message.replace(/^cycle: /, "").split(" → ");
          expect(path.length).toBeGreaterThanOrEqual(3);
          expect(path[0]).toBe(path.at(-1));
          for (let k = 0; k + 1 < path.length; k++) {
            expect(edges.get(path[k] as string)?.has(path[k + 1] as string), `${path[k]} → ${path[k + 1]}`).toBe(true);
          }
        }
      }),
      FUZZ,
    );
  });

  // Regression: a megabyte answer holding a 20 000-task chain ran out of heap in the
  // quadratic reachability of the scope-overlap check (a fatal error, not an exception).
  it.each([
    ["a 30 000-task chain", Array.from({ length: 30_000 }, (_, i) => ({ key: `k${i}`, depends_on: i > 0 ? [`k${i - 1}`] : [] }))],
    ["300 tasks with 1 000 overlapping scopes each", Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, scope: Array.from({ length: 1_000 }, (_, j) => `src/${j}/**`) }))],
    ["two tasks with 100 000 scopes each", [0, 1].map((i) => ({ key: `k${i}`, scope: Array.from({ length: 100_000 }, (_, j) => `s/${j}`) }))],
  ])("rejects %s quickly without exhausting memory", (_name, tasks) => {
    const result = validatePlan({ rationale: "", tasks }, { ...OPTS, maxTasks: 30 });
    expectExplained(result);
    expect(result.ok).toBe(false);
  });
});

describe("parseModelAnswer on raw model text", () => {
  it("never throws on any text; ok exactly when the trimmed text is one JSON object", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        const parsed = parseModelAnswer(text);
        if (parsed.ok) {
          expect(text.trim().startsWith("{")).toBe(true);
          expect(parsed.value).toEqual(JSON.parse(text.trim()));
        } else expect(parsed.problem.trim()).not.toBe("");
      }),
      FUZZ,
    );
  });

  it("accepts a serialised object with surrounding whitespace", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.constantFrom("", " ", "\n", "\r\n\t"), (value, pad) => {
        const parsed = parseModelAnswer(pad + JSON.stringify(value) + pad);
        expect(parsed).toEqual({ ok: true, value: JSON.parse(JSON.stringify(value)) });
      }),
      FUZZ,
    );
  });

  it.each([
    ["truncated JSON", (json: string, cut: number) => json.slice(0, 1 + (cut % (json.length - 1))), /not valid JSON/],
    ["fenced JSON", (json: string) => `\`\`\`json\n${json}\n\`\`\``, /code fence/],
    ["prose before the JSON", (json: string) => `Here is the plan:\n${json}`, /does not start with '\{'/],
    ["prose after the JSON", (json: string) => `${json}\nHope this helps!`, /not valid JSON/],
  ])("rejects %s with a message the repair round can send back", (_name, mangle, problem) => {
    fc.assert(
      fc.property(dag, fc.nat(), (tasks, cut) => {
        const parsed = parseModelAnswer(mangle(JSON.stringify({ rationale: "r", tasks }), cut));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.problem).toMatch(problem);
      }),
      FUZZ,
    );
  });

  it("survives a megabyte answer end to end (parse, then validate)", () => {
    fc.assert(
      fc.property(fc.constantFrom("{", "[", "a", " ", '{"tasks":[', '{"rationale":"'), fc.constantFrom("", "}", "]}", '"}'), (head, tail) => {
        const text = head + (head.endsWith('"') ? "x" : " ").repeat(ONE_MB) + tail;
        const parsed = parseModelAnswer(text);
        if (parsed.ok) expectExplained(validatePlan(parsed.value, OPTS));
        else expect(parsed.problem).not.toBe("");
      }),
      { ...FUZZ_SLOW, numRuns: 12 },
    );
  });
});
