import type { TaskStateName } from "../decide/effects.js";
import { STATE_LABELS } from "../../shared/labels.js";

/**
 * The dependency graph as a Mermaid block, which GitHub renders in comments. Labels
 * hold planner-written titles, so every character Mermaid or the surrounding code fence
 * could read as syntax is written as a Mermaid entity (`#quot;`), never raw. Node ids are
 * positional (`t0`, `t1`, …) rather than keys, so no key can be mistaken for syntax.
 * The output depends only on the input order: the same graph renders to the same text,
 * which keeps the status comment unchanged (and unwritten) when nothing moved.
 */

/** One task in the graph; `state` picks its colour so progress is visible at a glance. */
export interface MermaidNode {
  key: string;
  title: string;
  state: TaskStateName;
  /** The sub-issue number, once it exists. */
  number?: number;
}

/** `from` must finish before `to` starts (the arrow points the way work flows). */
export interface MermaidEdge {
  from: string;
  to: string;
}

const TITLE_MAX = 48;

/** Render nodes coloured by state and edges between known keys as a fenced `mermaid` block. */
export function renderMermaid(nodes: readonly MermaidNode[], edges: readonly MermaidEdge[]): string {
  const ids = new Map(nodes.map((n, i) => [n.key, `t${i}`]));
  const lines = ["```mermaid", "graph TD"];
  nodes.forEach((n, i) => {
    const label = `${n.number === undefined ? "" : `#${n.number} `}${n.key}: ${shorten(n.title)}`;
    lines.push(`  t${i}["${escapeMermaidLabel(label)}"]`);
  });
  for (const e of edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from !== undefined && to !== undefined) lines.push(`  ${from} --> ${to}`);
  }
  const byState = new Map<TaskStateName, string[]>();
  nodes.forEach((n, i) => byState.set(n.state, [...(byState.get(n.state) ?? []), `t${i}`]));
  for (const state of Object.keys(STATE_LABELS) as TaskStateName[]) {
    const members = byState.get(state);
    if (!members) continue;
    const fill = STATE_LABELS[state].color;
    lines.push(`  classDef ${className(state)} fill:#${fill},stroke:#444,color:${textColor(fill)}`);
    lines.push(`  class ${members.join(",")} ${className(state)}`);
  }
  lines.push("```");
  return lines.join("\n");
}

/** Edges from each task's dependencies (dependency → dependent). */
export function edgesFromDependencies(tasks: readonly { key: string; dependsOn: readonly string[] }[]): MermaidEdge[] {
  return tasks.flatMap((t) => t.dependsOn.map((dep) => ({ from: dep, to: t.key })));
}

const ENTITIES: Record<string, string> = {
  "#": "#35;",
  '"': "#quot;",
  "<": "#lt;",
  ">": "#gt;",
  "&": "#amp;",
  "[": "#91;",
  "]": "#93;",
  "{": "#123;",
  "}": "#125;",
  "(": "#40;",
  ")": "#41;",
  "|": "#124;",
  "`": "#96;",
  ";": "#59;",
};

/** Text safe inside a quoted Mermaid label: one line, syntax characters as entities. */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(/[#"<>&[\]{}()|`;]/g, (c) => ENTITIES[c] ?? c);
}

function shorten(title: string): string {
  const flat = title.replace(/\s+/g, " ").trim();
  return flat.length > TITLE_MAX ? `${flat.slice(0, TITLE_MAX - 1)}…` : flat;
}

function className(state: TaskStateName): string {
  return `st_${state.replace(/-/g, "_")}`;
}

/** Black or white text, whichever reads better on the fill. */
function textColor(hex: string): string {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const luminance = 0.299 * (r ?? 0) + 0.587 * (g ?? 0) + 0.114 * (b ?? 0);
  return luminance > 150 ? "#000" : "#fff";
}
