import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { routeEvent, type Route } from "../../src/app/route-event.js";
import { FUZZ } from "./fuzz-helpers.js";

/**
 * Webhook payloads are signed by GitHub, but their shape still varies by event, action,
 * API version and the account that caused them. Starting from GitHub's own examples and
 * breaking them in every way, routing must never throw, must always answer with a Route,
 * and must only hand the shell positive, exact issue numbers.
 */

const require = createRequire(import.meta.url);
const EXAMPLES = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];
const EVENTS = ["issues", "issue_comment", "pull_request", "pull_request_review", "check_run", "check_suite", "workflow_run", "push"] as const;
const CTX = { botLogin: "architect[bot]", appSlug: "architect" };

/** Examples whose action can move a task (opened, submitted, completed, ...). */
const DECISIVE: Record<string, readonly string[]> = { pull_request: ["opened", "closed", "reopened", "synchronize"], pull_request_review: ["submitted"], check_run: ["completed"], workflow_run: ["completed"] };
const samples = EVENTS.flatMap((name) => (EXAMPLES.find((e) => e.name === name)?.examples ?? []).map((payload, i) => ({ name, i, payload })));

const decisive = samples.filter((s) => DECISIVE[s.name]?.includes(String(s.payload.action)) && s.name !== "workflow_run");

/** A Route the shell can act on: a known kind and, for targets, a positive safe integer. */
function expectUsable(route: Route): void {
  switch (route.kind) {
    case "milestone":
      expect(Number.isSafeInteger(route.issue) && route.issue > 0, `milestone ${route.issue}`).toBe(true);
      return;
    case "task":
      expect(Number.isSafeInteger(route.task) && route.task > 0, `task ${route.task}`).toBe(true);
      return;
    case "command":
      expect(Number.isSafeInteger(route.issue) && route.issue > 0).toBe(true);
      expect(typeof route.commentId).toBe("number");
      expect(typeof route.body).toBe("string");
      expect(typeof route.author).toBe("string");
      return;
    case "config-changed":
      return;
    case "ignore":
      expect(route.reason).not.toBe("");
      return;
    default:
      throw new Error(`unknown route ${JSON.stringify(route)}`);
  }
}

/** Every path to a value in `value`, parents before children. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(path);
    pathsOf(v, path, out);
  }
  return out;
}

type Op = { kind: "drop" } | { kind: "set"; value: unknown } | { kind: "inflate"; times: number } | { kind: "nest"; depth: number; array: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: "drop" as const }),
  fc.constant({ kind: "set" as const, value: null }),
  fc.anything({ maxDepth: 2 }).map((value) => ({ kind: "set" as const, value })),
  fc.constantFrom("architect/12-x", "refs/heads/architect/3-y", "architect 7/12/1/initial", "/architect plan", "architect:hold", "agent:claude", ".github/architect.yml", "created", "labeled", "Bot").map((value) => ({ kind: "set" as const, value })),
  fc.integer({ min: 1_000, max: 100_000 }).map((times) => ({ kind: "inflate" as const, times })),
  fc.tuple(fc.integer({ min: 10, max: 3_000 }), fc.boolean()).map(([depth, array]) => ({ kind: "nest" as const, depth, array })),
);

function nested(depth: number, array: boolean): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}

/** Apply the mutations to a copy; a path made unreachable by an earlier mutation is skipped. */
function mutate(payload: unknown, picks: { at: number; op: Op }[]): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const paths = pathsOf(copy);
  if (paths.length === 0) return copy;
  for (const { at, op: o } of picks) {
    const path = paths[at % paths.length] as (string | number)[];
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = typeof parent === "object" && parent !== null ? (parent as Record<string | number, unknown>)[key] : undefined;
    if (typeof parent !== "object" || parent === null) continue;
    const target = parent as Record<string | number, unknown>;
    const key = path.at(-1) as string | number;
    if (o.kind === "drop") delete target[key];
    else if (o.kind === "set") target[key] = o.value;
    else if (o.kind === "inflate") target[key] = (typeof target[key] === "string" && target[key] !== "" ? (target[key] as string) : "x").repeat(o.times).slice(0, 200_000);
    else target[key] = nested(o.depth, o.array);
  }
  return copy;
}

describe("routeEvent on GitHub's example payloads", () => {
  it.each(samples.map((s) => [`${s.name} #${s.i} (${String(s.payload.action ?? "-")})`, s] as const))("routes the real example %s", (_label, { name, payload }) => {
    const route = routeEvent(name, payload, CTX);
    expectUsable(route);
    // None of GitHub's examples is on an Architect branch, run or config file: only issue
    // events and /architect comments may lead anywhere, and only to the issue they name.
    if (name === "issues") {
      expect(["milestone", "ignore"]).toContain(route.kind);
      if (route.kind === "milestone") expect(route.issue).toBe((payload.issue as { number: number }).number);
    } else if (name === "issue_comment") {
      const body = String((payload.comment as { body?: string }).body ?? "");
      expect(route.kind).toBe(payload.action === "created" && /\/architect\b/i.test(body) ? "command" : "ignore");
    } else expect(route.kind).toBe("ignore");
  });

  it("routes a real pull request, review or finished check run to the task of an architect/ head branch", () => {
    fc.assert(
      fc.property(fc.constantFrom(...decisive), fc.integer({ min: 1, max: 999_999 }), ({ name, payload }, task) => {
        const copy = structuredClone(payload) as Record<string, Record<string, unknown>>;
        const ref = `architect/${task}-some-title`;
        if (name === "check_run") copy.check_run = { ...copy.check_run, check_suite: { head_branch: ref } };
        else copy.pull_request = { ...copy.pull_request, head: { ...(copy.pull_request?.head as object), ref } };
        const route = routeEvent(name, copy, CTX);
        expect(route).toMatchObject({ kind: "task", task });
        // The time it happened, when the example carries one, is the payload's own.
        const stamp = name === "check_run" ? copy.check_run?.completed_at : name === "pull_request_review" ? copy.review?.submitted_at : copy.pull_request?.updated_at;
        expect(route.kind === "task" ? route.happenedAt : null).toBe(typeof stamp === "string" ? Date.parse(stamp) : undefined);
      }),
      FUZZ,
    );
  });

  it("never throws on mutated examples and always answers with a usable Route", () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.record({ at: fc.nat(), op }), { minLength: 1, maxLength: 6 }), ({ name, payload }, picks) => {
        expectUsable(routeEvent(name, mutate(payload, picks), CTX));
      }),
      FUZZ,
    );
  });

  it("never throws on payloads that are not objects at all, under any event name", () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENTS, "sub_issues", "issue_dependencies", "ping", ""), fc.anything(), (name, payload) => {
        expectUsable(routeEvent(name, payload, CTX));
      }),
      FUZZ,
    );
  });

  it("hands on only positive, exact issue numbers parsed from branch names and run titles", () => {
    const digits = fc.oneof(fc.stringMatching(/^[0-9]{1,25}$/), fc.constantFrom("0", "00", "007", "999999999", "1000000000", "9007199254740993", "99999999999999999999"));
    fc.assert(
      fc.property(fc.constantFrom(...samples.filter((s) => DECISIVE[s.name]?.includes(String(s.payload.action)))), digits, digits, ({ name, payload }, a, b) => {
        const copy = structuredClone(payload) as Record<string, Record<string, unknown>>;
        if (name === "pull_request" || name === "pull_request_review") copy.pull_request = { ...copy.pull_request, head: { ref: `architect/${a}-x` } };
        if (name === "check_run") copy.check_run = { ...copy.check_run, check_suite: { head_branch: `architect/${a}-x` } };
        if (name === "workflow_run") copy.workflow_run = { ...copy.workflow_run, display_title: `architect ${a}/${b}/1/initial` };
        expectUsable(routeEvent(name, copy, CTX));
      }),
      FUZZ,
    );
  });

  // Regressions: a check run whose app has no slug (as in GitHub's own examples) was
  // dropped as malformed; "architect/0-x", 25-digit branches and "architect 0/1/1/initial"
  // were routed to issue 0 or to 1e24.
  it.each<[string, unknown, Route]>([
    ["a finished check run whose app has no slug", { action: "completed", check_run: { app: { id: 1 }, check_suite: { head_branch: "architect/5-x" } } }, { kind: "task", task: 5 }],
    ["a claim branch numbered 0", { action: "completed", check_run: { check_suite: { head_branch: "architect/0-x" } } }, { kind: "ignore", reason: "check run not on a task branch" }],
    ["a claim branch with 25 digits", { action: "completed", check_run: { check_suite: { head_branch: `architect/${"9".repeat(25)}-x` } } }, { kind: "ignore", reason: "check run not on a task branch" }],
  ])("check_run: %s", (_name, payload, expected) => {
    expect(routeEvent("check_run", payload, CTX)).toEqual(expected);
  });

  it("workflow_run: a run title for milestone 0 is not an Architect run", () => {
    expect(routeEvent("workflow_run", { action: "completed", workflow_run: { display_title: "architect 0/1/1/initial" } }, CTX)).toEqual({ kind: "ignore", reason: "not an Architect run" });
  });
});
