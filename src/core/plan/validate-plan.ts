import { buildGraph, criticalPath, findCycle, type TaskGraph } from "../dag/graph.js";
import { codeSpan } from "../render/task-body.js";
import { neutralizeLine } from "../render/neutralize.js";
import { stripInvisibleDeep } from "../text/untrusted-text.js";
import { scopeGlobProblem } from "../scope/scope-match.js";
import { scopesOverlap } from "../scope/scope-overlap.js";
import { Plan, type PlanIssue } from "./plan-schema.js";

/**
 * Every plan, from any planner, passes through here before anything is created. It
 * collects all problems at once (not just the first) because the list is sent back to a
 * model for repair, and a person fixing a task list wants to see everything in one go.
 * Graph checks run even when the schema fails, on whatever tasks can be read, so a cycle
 * is reported alongside a typo.
 */

/** The limits come from config, so the same validator serves every repository. */
export interface ValidatePlanOptions {
  /** Configured agent names; an empty list skips the agent check. */
  agents: readonly string[];
  maxTasks: number;
  maxDepth: number;
}

/** A plan with its warnings, or every problem found (never just the first). */
export type ValidatePlanResult = { ok: true; plan: Plan; warnings: PlanIssue[] } | { ok: false; issues: PlanIssue[] };

/** The most cycles listed (each one found costs a search; one or two are what people fix). */
const MAX_CYCLES = 10;

/**
 * Past this many tasks the graph checks are skipped (too_many_tasks already rejects the
 * plan): reachability is quadratic in memory, and a megabyte of model output holds tens
 * of thousands of tasks, enough to exhaust the heap and kill the process.
 */
const GRAPH_CHECK_LIMIT = 200;

/** The schema's own cap on scopes per task; the lenient reader keeps no more (pairwise overlap is quadratic). */
const SCOPE_LIMIT = 30;

/** Validate untrusted planner output. Warnings never reject; any error does. */
export function validatePlan(raw: unknown, opts: ValidatePlanOptions): ValidatePlanResult {
  // Titles and bodies Architect writes carry no zero-width, bidi or tag characters.
  const input = stripInvisibleDeep(raw);
  const issues: PlanIssue[] = [];
  const parsed = Plan.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push(error("schema", formatPath(issue.path), issue.message));
    }
  }
  const tasks = readTasksLeniently(input);
  if (tasks !== null) issues.push(...checkTasks(tasks, opts));
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, plan: parsed.data, warnings: issues };
}

/**
 * Issues as a markdown list for a comment or the CLI. Messages quote model output, so
 * each line is neutralised; long lists are cut (the first problems are enough to act on).
 */
/** Task-list problems say their line in the message too (the CLI prints messages alone); shown once. */
function withoutPath(issue: PlanIssue): string {
  const prefix = `${issue.path}: `;
  return issue.path !== "" && issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : issue.message;
}

export function formatPlanIssues(issues: readonly PlanIssue[], limit = 50): string {
  if (issues.length === 0) return "_No problems found._";
  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  const lines = sorted
    .slice(0, limit)
    .map((i) => `- **${i.severity}** ${codeSpan(i.path || "plan")}: ${neutralizeLine(withoutPath(i), 500)}`);
  if (sorted.length > limit) lines.push(`- …and ${sorted.length - limit} more`);
  return lines.join("\n");
}

/** The parts of a task the graph checks need, read without trusting the shape. */
interface LooseTask {
  index: number;
  key: string | null;
  dependsOn: string[];
  agent: string | null;
  scope: string[];
}

function readTasksLeniently(input: unknown): LooseTask[] | null {
  if (!isRecord(input) || !Array.isArray(input.tasks)) return null;
  return input.tasks.map((t: unknown, index: number) => {
    const r = isRecord(t) ? t : {};
    return {
      index,
      key: typeof r.key === "string" ? r.key : null,
      dependsOn: stringsOf(r.depends_on),
      agent: typeof r.agent === "string" ? r.agent : null,
      scope: stringsOf(r.scope).slice(0, SCOPE_LIMIT),
    };
  });
}

function checkTasks(tasks: readonly LooseTask[], opts: ValidatePlanOptions): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (tasks.length === 0) issues.push(error("empty_plan", "tasks", "the plan has no tasks"));
  if (tasks.length > opts.maxTasks) {
    // The path names the first task over the limit, so a task list can point at its line.
    issues.push(error("too_many_tasks", `tasks[${opts.maxTasks}]`, `the plan has ${tasks.length} tasks; the limit is ${opts.maxTasks}`));
  }
  if (tasks.length > Math.max(GRAPH_CHECK_LIMIT, opts.maxTasks)) return issues;

  for (const t of tasks) {
    t.scope.forEach((glob, k) => {
      const problem = scopeGlobProblem(glob);
      if (problem !== null) {
        const whose = t.key === null ? "" : ` of ${q(t.key)}`;
        issues.push(error("invalid_scope", `tasks[${t.index}].scope[${k}]`, `scope ${q(glob)}${whose} ${problem}`));
      }
    });
  }

  // The first task with a key owns it; later ones are duplicates and stay out of the graph.
  const owner = new Map<string, LooseTask>();
  for (const t of tasks) {
    if (t.key === null) continue;
    const first = owner.get(t.key);
    if (first) {
      issues.push(error("duplicate_key", `tasks[${t.index}].key`, `duplicate key ${q(t.key)} (first used by tasks[${first.index}])`));
    } else owner.set(t.key, t);
  }
  const unique = [...owner.values()];

  for (const t of unique) {
    const key = t.key as string;
    t.dependsOn.forEach((dep, k) => {
      const path = `tasks[${t.index}].depends_on[${k}]`;
      if (dep === key) issues.push(error("self_dependency", path, `${q(key)} depends on itself`));
      else if (!owner.has(dep)) issues.push(error("unknown_dependency", path, `${q(key)} depends on unknown task ${q(dep)}`));
    });
  }

  const graph = buildGraph(unique.map((t) => ({ key: t.key as string, depends_on: t.dependsOn.filter((d) => d !== t.key) })));
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    const index = owner.get(cycle[0] as string)?.index ?? 0;
    issues.push(error("cycle", `tasks[${index}].depends_on`, `cycle: ${cycle.map(short).join(" → ")}`));
  }
  if (cycles.length === 0 && unique.length > 0) {
    const longest = criticalPath(graph);
    if (longest.length > opts.maxDepth) {
      // The path names the deepest task of the chain (the one whose dependencies make it too deep).
      const deepest = owner.get(longest[longest.length - 1] as string)?.index ?? 0;
      issues.push(
        error("too_deep", `tasks[${deepest}].depends_on`, `the dependency chain ${longest.map(short).join(" → ")} is ${longest.length} tasks deep; the limit is ${opts.maxDepth}`),
      );
    }
  }

  if (opts.agents.length > 0) {
    for (const t of tasks) {
      if (t.agent !== null && !opts.agents.includes(t.agent)) {
        issues.push(error("unknown_agent", `tasks[${t.index}].agent`, `unknown agent ${q(t.agent)}; known agents: ${opts.agents.join(", ")}`));
      }
    }
  }

  if (cycles.length === 0) issues.push(...overlapWarnings(unique, graph));
  return issues;
}

/**
 * Up to MAX_CYCLES distinct cycles: after each one, its closing edge is removed and the
 * search repeats, so independent cycles are all reported.
 */
function findCycles(graph: TaskGraph): string[][] {
  const dependsOn = new Map([...graph.dependsOn].map(([k, v]) => [k, [...v]]));
  const cycles: string[][] = [];
  while (cycles.length < MAX_CYCLES) {
    const cycle = findCycle({ keys: graph.keys, dependsOn });
    if (!cycle) break;
    cycles.push(cycle);
    const from = cycle[cycle.length - 2] as string;
    const to = cycle[cycle.length - 1] as string;
    dependsOn.set(from, (dependsOn.get(from) ?? []).filter((d) => d !== to));
  }
  return cycles;
}

/** Tasks that may run in parallel (neither reaches the other) but could touch the same files. */
function overlapWarnings(tasks: readonly LooseTask[], graph: TaskGraph): PlanIssue[] {
  const reach = reachability(graph);
  const out: PlanIssue[] = [];
  for (let i = 0; i < tasks.length; i++) {
    for (let j = i + 1; j < tasks.length; j++) {
      const a = tasks[i] as LooseTask;
      const b = tasks[j] as LooseTask;
      const ka = a.key as string;
      const kb = b.key as string;
      if (reach.get(ka)?.has(kb) || reach.get(kb)?.has(ka)) continue;
      if (!scopesOverlap(a.scope, b.scope)) continue;
      out.push({
        code: "overlapping_scope",
        path: `tasks[${b.index}].scope`,
        message: `scope of ${q(kb)} overlaps ${q(ka)}; they will not run at the same time`,
        severity: "warning",
      });
    }
  }
  return out;
}

/** For each key, every key it depends on transitively. */
function reachability(graph: TaskGraph): Map<string, Set<string>> {
  const memo = new Map<string, Set<string>>();
  const visit = (key: string): Set<string> => {
    const known = memo.get(key);
    if (known) return known;
    const set = new Set<string>();
    memo.set(key, set);
    for (const dep of graph.dependsOn.get(key) ?? []) {
      set.add(dep);
      for (const d of visit(dep)) set.add(d);
    }
    return set;
  };
  for (const key of graph.keys) visit(key);
  return memo;
}

function error(code: PlanIssue["code"], path: string, message: string): PlanIssue {
  return { code, path, message, severity: "error" };
}

/** `tasks[2].depends_on[0]` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out === "" ? "" : "."}${String(part)}`;
  return out;
}

/** Quote a model-provided value in a message, shortened so one bad value cannot flood it. */
function q(value: string): string {
  return JSON.stringify(short(value));
}

function short(value: string): string {
  return value.length > 60 ? `${value.slice(0, 59)}…` : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
