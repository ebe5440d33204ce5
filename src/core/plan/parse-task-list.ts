import { fenceTracker, splitLines } from "../markdown/lines.js";
import type { Plan, PlannedTask, PlanIssue } from "./plan-schema.js";

/**
 * The `markdown` planner: a deterministic parser for a task list written by hand in the
 * milestone issue, so Architect works with no model at all. The syntax is documented in
 * docs/task-list.md. Only the `## Tasks` section is read; problems are reported with line
 * numbers (1-based, in the issue body) because a person has to find and fix them.
 * The result still goes through validatePlan (keys, dependencies, cycles, agents).
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
}

/** Parse the `## Tasks` section of a milestone description into a plan. */
export function parseTaskList(body: string, opts: ParseTaskListOptions): ParseTaskListResult {
  const lines = splitLines(body);
  const issues: PlanIssue[] = [];
  const section = findTasksSection(lines);
  if (section === null) {
    return { ok: false, issues: [issue("", "no `## Tasks` section: add one with a list of tasks (see docs/task-list.md)")] };
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
  if (issues.length > 0) return { ok: false, issues };
  const tasks = drafts.map((d) => ({
    ...d.task,
    body: d.body.join("\n").trim(),
    agent_reason: d.agentNamed ? "named in the task list" : "default agent",
  }));
  return { ok: true, plan: { rationale: TASK_LIST_RATIONALE, tasks } };
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
  switch (attribute) {
    case "depends":
      t.depends_on.push(...listOf(value));
      return;
    case "scope":
      t.scope.push(...listOf(value));
      return;
    case "labels":
      t.labels.push(...listOf(value));
      return;
    case "accept":
      if (value !== "") t.acceptance.push(value);
      return;
    case "agent": {
      const agent = value.replace(/`/g, "").trim();
      if (draft.agentNamed) issues.push(issue(where, `line ${lineNo}: task \`${t.key}\` names its agent twice`));
      else if (agent === "") issues.push(issue(where, `line ${lineNo}: empty agent for task \`${t.key}\``));
      else {
        t.agent = agent;
        draft.agentNamed = true;
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
