import { fenceTracker, splitLines } from "../markdown/lines.js";
import type { Plan, PlannedTask, PlanIssue } from "./plan-schema.js";
import { validatePlan, type ValidatePlanOptions, type ValidatePlanResult } from "./validate-plan.js";

/**
 * The `markdown` planner: a deterministic parser for a task list written by hand in the
 * milestone issue, so Architect works with no model at all. The syntax is documented in
 * docs/task-list.md. Only the `## Tasks` section is read; problems are reported with line
 * numbers (1-based, in the issue body) because a person has to find and fix them.
 * The result still goes through validatePlan (keys, dependencies, cycles, agents, scopes):
 * checkTaskList does both and reports every problem, from either, with its line.
 */

/** The rationale of a hand-written plan: there is no model reasoning to show. */
export const TASK_LIST_RATIONALE = "Parsed from the task list in the milestone description.";

/** Defaults the parser cannot know from the text. */
export interface ParseTaskListOptions {
  /** Agent used when a task does not name one. */
  defaultAgent: string;
}

/** A plan (still to be validated) or problems with line numbers. */
export type ParseTaskListResult = { ok: true; plan: Plan } | { ok: false; issues: PlanIssue[] };

/** Attribute names as written (lower case) → the field they fill. */
const ATTRIBUTES: Record<string, Attribute> = {
  "depends on": "depends",
  depends: "depends",
  after: "depends",
  agent: "agent",
  scope: "scope",
  files: "scope",
  estimate: "estimate",
  accept: "accept",
  acceptance: "accept",
  labels: "labels",
  label: "labels",
};
type Attribute = "depends" | "agent" | "scope" | "estimate" | "accept" | "labels";

// Only the opening is a regex: `(.*?)\s*#*\s*$` backtracked cubically on a long line of
// spaces and `#` (2 KB took 11 s); the closing `#`s are stripped by readHeading.
const HEADING_START = /^ {0,3}(#{1,6})\s+/;
const TASK_ITEM = /^ ?(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;
const ATTRIBUTE_ITEM = /^[-*+]\s+(.*)$/;

interface Draft {
  task: PlannedTask;
  body: string[];
  agentNamed: boolean;
  estimateSet: boolean;
  lines: TaskLines;
}

/** Where a task and each value of its attributes were written (1-based lines of the body). */
interface TaskLines {
  task: number;
  /** Plan field (`depends_on`, `scope`, …) → the line of each of its values, in order. */
  fields: Partial<Record<keyof PlannedTask, number[]>>;
}

/** What the parser read: the tasks it could read (even when it found problems), and the problems. */
interface TaskListRead {
  drafts: Draft[];
  issues: PlanIssue[];
}

/** Parse the `## Tasks` section of a milestone description into a plan. */
export function parseTaskList(body: string, opts: ParseTaskListOptions): ParseTaskListResult {
  const { drafts, issues } = readTaskList(body, opts);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, plan: planOf(drafts) };
}

/**
 * Parse and validate a task list in one go: parse problems and validation problems
 * (duplicate keys, dependencies, cycles, agents, scopes, limits) together, each once, each
 * with the line it is about, in line order. What the markdown planner reports.
 */
export function checkTaskList(body: string, opts: ParseTaskListOptions & ValidatePlanOptions): ValidatePlanResult {
  const { drafts, issues } = readTaskList(body, opts);
  if (drafts.length === 0) return { ok: false, issues };
  const validated = validatePlan(planOf(drafts), opts);
  const found = validated.ok ? validated.warnings : validated.issues;
  const located = found
    // The parser already said "has no title" on that line.
    .filter((i) => !(i.code === "schema" && /^tasks\[\d+\]\.title$/.test(i.path) && titleMissing(drafts, i.path)))
    .map((i) => locate(i, drafts));
  const all = dedupe([...issues, ...located]).sort((a, b) => lineOf(a) - lineOf(b));
  if (issues.length === 0 && validated.ok) return { ok: true, plan: validated.plan, warnings: all };
  return { ok: false, issues: all };
}

function planOf(drafts: readonly Draft[]): Plan {
  const tasks = drafts.map((d) => ({
    ...d.task,
    body: d.body.join("\n").trim(),
    agent_reason: d.agentNamed ? "named in the task list" : "default agent",
  }));
  return { rationale: TASK_LIST_RATIONALE, tasks };
}

const TASK_PATH = /^tasks\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?/;

/** A validation issue about `tasks[i]…` pointed at its line; other issues stay as they are. */
function locate(found: PlanIssue, drafts: readonly Draft[]): PlanIssue {
  const m = TASK_PATH.exec(found.path);
  const draft = m ? drafts[Number(m[1])] : undefined;
  if (!m || !draft) return found;
  const values = m[2] ? draft.lines.fields[m[2] as keyof PlannedTask] : undefined;
  const line = (m[3] === undefined ? values?.[0] : values?.[Number(m[3])]) ?? values?.[0] ?? draft.lines.task;
  // Messages name other tasks by plan index (`first used by tasks[0]`): name their lines instead.
  const message = found.message.replace(/tasks\[(\d+)\]/g, (text, i: string) => {
    const other = drafts[Number(i)];
    return other ? `line ${other.lines.task}` : text;
  });
  return { ...found, path: `line ${line}`, message: `line ${line}: ${message}` };
}

function titleMissing(drafts: readonly Draft[], path: string): boolean {
  return drafts[Number(TASK_PATH.exec(path)?.[1])]?.task.title === "";
}

function lineOf(i: PlanIssue): number {
  const m = /^line (\d+)$/.exec(i.path);
  return m ? Number(m[1]) : 0;
}

function dedupe(issues: readonly PlanIssue[]): PlanIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.severity} ${i.path} ${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function readTaskList(body: string, opts: ParseTaskListOptions): TaskListRead {
  const lines = splitLines(body);
  const issues: PlanIssue[] = [];
  const section = findTasksSection(lines);
  if (section === null) {
    return { drafts: [], issues: [issue("", "no `## Tasks` section: add one with a list of tasks (see docs/task-list.md)")] };
  }

  const drafts: Draft[] = [];
  let current: Draft | null = null;
  const fences = fenceTracker();
  for (let i = section.start; i < section.end; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    // Fenced code inside the section is text, never tasks (unless it is a quoted body line).
    if (fences.inCode(raw)) continue;
    if (raw.trim() === "") continue;

    const indented = /^(\t| {2,})/.test(raw);
    if (!indented) {
      const item = TASK_ITEM.exec(raw);
      if (!item) {
        current = null; // Prose between tasks ends the task above it.
        continue;
      }
      current = startTask(item[1] as string, lineNo, opts, issues);
      if (current) drafts.push(current);
      continue;
    }
    if (current === null) continue; // Indented text under prose or under a broken task line.

    const text = raw.trim();
    if (text.startsWith(">")) {
      current.body.push(text.replace(/^> ?/, ""));
      continue;
    }
    const attr = ATTRIBUTE_ITEM.exec(text);
    if (!attr) {
      current.body.push(text);
      continue;
    }
    applyAttribute(current, attr[1] as string, lineNo, issues);
  }

  if (drafts.length === 0 && issues.length === 0) {
    issues.push(issue(`line ${section.start}`, `line ${section.start}: the \`## Tasks\` section has no tasks: write them as \`\`- [ ] \`key\` Title\`\``));
  }
  return { drafts, issues };
}

/** An ATX heading's level and text (closing `#`s removed), or null when the line is not one. */
function readHeading(line: string): { depth: number; text: string } | null {
  const open = HEADING_START.exec(line);
  if (!open) return null;
  let text = line.slice(open[0].length).trimEnd();
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  text = text.slice(0, end).trimEnd();
  // As before: heading text never spans a Unicode line break.
  if (/[\u2028\u2029]/.test(text)) return null;
  return { depth: (open[1] as string).length, text };
}

/** The line range after the first "Tasks" heading, up to the next heading of the same or a higher level. */
function findTasksSection(lines: readonly string[]): { start: number; end: number } | null {
  const fences = fenceTracker();
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fences.inCode(line)) continue;
    const heading = readHeading(line);
    if (!heading) continue;
    const depth = heading.depth;
    if (start < 0) {
      if (/^tasks:?$/i.test(heading.text)) {
        start = i + 1;
        level = depth;
      }
    } else if (depth <= level) return { start, end: i };
  }
  return start < 0 ? null : { start, end: lines.length };
}

function startTask(text: string, lineNo: number, opts: ParseTaskListOptions, issues: PlanIssue[]): Draft | null {
  const m = /^`([^`]+)`\s*[:\-–—]?\s*(.*)$/.exec(text.trim());
  if (!m) {
    issues.push(issue(`line ${lineNo}`, `line ${lineNo}: a task needs a key in backticks first, like \`\`- [ ] \`api-schema\` Define the API schema\`\``));
    return null;
  }
  const key = (m[1] as string).trim();
  const title = (m[2] as string).trim();
  if (title === "") issues.push(issue(`line ${lineNo}`, `line ${lineNo}: task \`${key}\` has no title after its key`));
  return {
    body: [],
    agentNamed: false,
    estimateSet: false,
    lines: { task: lineNo, fields: {} },
    task: {
      key,
      title,
      body: "",
      acceptance: [],
      depends_on: [],
      agent: opts.defaultAgent,
      agent_reason: "default agent",
      labels: [],
      scope: [],
      estimate: 1,
    },
  };
}

function applyAttribute(draft: Draft, text: string, lineNo: number, issues: PlanIssue[]): void {
  const colon = text.indexOf(":");
  const where = `line ${lineNo}`;
  if (colon < 0) {
    issues.push(issue(where, `line ${lineNo}: expected \`- name: value\` under task \`${draft.task.key}\` (quote body text with \`>\`)`));
    return;
  }
  const name = text.slice(0, colon).trim().toLowerCase().replace(/\s+/g, " ");
  const value = text.slice(colon + 1).trim();
  const attribute = ATTRIBUTES[name];
  const t = draft.task;
  const add = (field: "depends_on" | "scope" | "labels" | "acceptance", values: string[]) => {
    t[field].push(...values);
    (draft.lines.fields[field] ??= []).push(...values.map(() => lineNo));
  };
  switch (attribute) {
    case "depends":
      add("depends_on", listOf(value));
      return;
    case "scope":
      if (value === "") issues.push(issue(where, `line ${lineNo}: empty scope for task \`${t.key}\`: list the files it may touch, or leave the line out`));
      else add("scope", listOf(value));
      return;
    case "labels":
      add("labels", listOf(value));
      return;
    case "accept":
      if (value !== "") add("acceptance", [value]);
      return;
    case "agent": {
      const agent = value.replace(/`/g, "").trim();
      if (draft.agentNamed) issues.push(issue(where, `line ${lineNo}: task \`${t.key}\` names its agent twice`));
      else if (agent === "") issues.push(issue(where, `line ${lineNo}: empty agent for task \`${t.key}\``));
      else {
        t.agent = agent;
        draft.agentNamed = true;
        draft.lines.fields.agent = [lineNo];
      }
      return;
    }
    case "estimate": {
      // Find the unit without a leading `\s*` in the regex (quadratic on a long run of spaces).
      const unit = /(?:h|hours?|agent-hours?)$/i.exec(value);
      const hours = Number(unit ? value.slice(0, unit.index).trimEnd() : value);
      if (draft.estimateSet) issues.push(issue(where, `line ${lineNo}: task \`${t.key}\` has two estimates`));
      else if (value === "" || !Number.isFinite(hours) || hours < 0) {
        issues.push(issue(where, `line ${lineNo}: estimate must be a number of agent-hours, got "${value.slice(0, 40)}"`));
      } else {
        t.estimate = hours;
        draft.estimateSet = true;
        draft.lines.fields.estimate = [lineNo];
      }
      return;
    }
    default:
      issues.push(
        issue(
          where,
          `line ${lineNo}: unknown attribute "${name.slice(0, 40)}" under task \`${t.key}\`; known: ${[...new Set(Object.keys(ATTRIBUTES))].join(", ")}`,
        ),
      );
  }
}

/**
 * "`a`, `b`" → ["a", "b"]; without backticks, split on commas outside braces (so
 * `src/{a,b}/**` stays one glob). "none" and "-" mean an empty list.
 */
function listOf(value: string): string[] {
  const v = value.trim();
  if (/^(none|-|—)?$/i.test(v)) return [];
  if (v.includes("`")) return [...v.matchAll(/`([^`]*)`/g)].map((m) => (m[1] as string).trim()).filter((x) => x !== "");
  const out: string[] = [];
  let depth = 0;
  let item = "";
  for (const c of v) {
    if (c === "{") depth++;
    if (c === "}") depth = Math.max(0, depth - 1);
    if (c === "," && depth === 0) {
      out.push(item);
      item = "";
    } else item += c;
  }
  out.push(item);
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

function issue(path: string, message: string): PlanIssue {
  return { code: "schema", path, message, severity: "error" };
}
