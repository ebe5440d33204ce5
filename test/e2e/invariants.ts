import { decodeMarker } from "../../src/core/markers/markers.js";
import type { CheckRun, Issue, PullRequest, Repo, WorkflowRun } from "../../src/sandbox/emulator/model.js";

/**
 * Facts checked after every end-to-end scenario, read straight from the emulator's world
 * (never from the app): the things that must hold whatever the webhooks did.
 */
export interface WorldFacts {
  tasks: Issue[];
  /** Task key → how many sub-issues carry it. */
  issuesPerKey: Map<string, number>;
  /** Claim branches per task number. */
  branchesPerTask: Map<number, number>;
  /** Dispatches per (task, seq) — two runs with one run title would be a duplicate dispatch. */
  runsPerTitle: Map<string, number>;
  botComments: { issue: number; body: string }[];
}

export function worldFacts(repo: Repo, milestone: Issue): WorldFacts {
  const tasks = milestone.subIssues.filter((i) => decodeMarker("task", i.body) !== null);
  const issuesPerKey = new Map<string, number>();
  for (const t of tasks) {
    const key = decodeMarker("task", t.body)?.key as string;
    issuesPerKey.set(key, (issuesPerKey.get(key) ?? 0) + 1);
  }
  const branchesPerTask = new Map<number, number>();
  for (const name of repo.branches.keys()) {
    const match = /^architect\/(\d+)-/.exec(name);
    if (match) branchesPerTask.set(Number(match[1]), (branchesPerTask.get(Number(match[1])) ?? 0) + 1);
  }
  const runsPerTitle = new Map<string, number>();
  for (const run of repo.runs.values()) runsPerTitle.set(run.displayTitle, (runsPerTitle.get(run.displayTitle) ?? 0) + 1);
  const botComments = [...repo.issues.values()].flatMap((i) => i.comments.filter((c) => c.user.login.endsWith("[bot]")).map((c) => ({ issue: i.number, body: c.body })));
  return { tasks, issuesPerKey, branchesPerTask, runsPerTitle, botComments };
}

/** No duplicate sub-issue, branch, dispatch or comment (one status and one control comment per milestone). */
export function duplicates(facts: WorldFacts): string[] {
  const out: string[] = [];
  for (const [key, n] of facts.issuesPerKey) if (n > 1) out.push(`${n} sub-issues for task ${key}`);
  for (const [task, n] of facts.branchesPerTask) if (n > 1) out.push(`${n} claim branches for #${task}`);
  for (const [title, n] of facts.runsPerTitle) if (n > 1) out.push(`${n} runs titled "${title}"`);
  const perIssueKind = new Map<string, number>();
  for (const c of facts.botComments) {
    const kind = decodeMarker("status", c.body) ? "status" : decodeMarker("control", c.body) ? "control" : `reply:${JSON.stringify(decodeMarker("reply", c.body))}`;
    const k = `#${c.issue} ${kind}`;
    perIssueKind.set(k, (perIssueKind.get(k) ?? 0) + 1);
  }
  for (const [k, n] of perIssueKind) if (n > 1) out.push(`${n} bot comments of kind ${k}`);
  return out;
}

/** For every task: its first run started only after each dependency's PR was merged. */
export function dispatchedBeforeDependencies(repo: Repo, milestone: Issue): string[] {
  const tasks = milestone.subIssues;
  const byKey = new Map(tasks.map((t) => [decodeMarker("task", t.body)?.key ?? "", t]));
  const mergedAt = (issue: Issue) => [...repo.pulls.values()].find((p) => p.headRef.startsWith(`architect/${issue.number}-`) && p.merged)?.mergedAt ?? null;
  const problems: string[] = [];
  for (const task of tasks) {
    const marker = decodeMarker("task", task.body);
    if (!marker) continue;
    const runs = [...repo.runs.values()].filter((r) => r.inputs.task === String(task.number));
    const firstRun = Math.min(...runs.map((r) => r.createdAt));
    for (const dep of marker.dependsOn) {
      const depIssue = byKey.get(dep);
      const merged = depIssue ? mergedAt(depIssue) : null;
      if (runs.length > 0 && (merged === null || merged > firstRun)) problems.push(`#${task.number} (${marker.key}) dispatched before ${dep} was merged`);
    }
  }
  return problems;
}

/** Largest number of agent runs in progress at the same moment. */
export function peakConcurrentRuns(repo: Repo): number {
  const points = [...repo.runs.values()].flatMap((r) => [
    { at: r.createdAt, delta: 1 },
    { at: r.status === "completed" ? r.updatedAt : Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const p of points) {
    current += p.delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

/** Writes the app made (everything but GETs and GraphQL queries). */
export function appWrites(entries: readonly { method: string; endpoint: string; actor: string | null }[]): number {
  return entries.filter((e) => e.actor?.endsWith("[bot]") && e.method !== "GET" && e.endpoint !== "POST /graphql (query)" && !e.endpoint.startsWith("POST /app/")).length;
}

/** A task's agent runs, oldest first (by creation, then id: one sandbox tick can hold two). */
export function runsOfTask(repo: Repo, task: number): WorkflowRun[] {
  return [...repo.runs.values()].filter((r) => r.inputs.task === String(task)).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

/** The task's PR (by claim branch), or null. */
export function pullOfTask(repo: Repo, task: number): PullRequest | null {
  return [...repo.pulls.values()].find((p) => p.headRef.startsWith(`architect/${task}-`)) ?? null;
}

/** Architect's own `architect/dag` check runs on a PR's head, newest first. */
export function dagChecksOf(repo: Repo, pull: PullRequest): CheckRun[] {
  return repo.checkRuns.filter((c) => c.name === "architect/dag" && c.headSha === pull.headSha && c.app.slug === "architect").sort((a, b) => b.id - a.id);
}

/** The bot's sticky status comment on a milestone (its body), or null. */
export function statusCommentOf(milestone: Issue): string | null {
  return milestone.comments.find((c) => c.user.login.endsWith("[bot]") && decodeMarker("status", c.body) !== null)?.body ?? null;
}

/** The state labels (`architect:<state>`) an issue carries. */
export function stateLabelsOf(issue: Issue): string[] {
  return issue.labels.map((l) => l.name).filter((n) => n.startsWith("architect:") && n !== "architect:task" && n !== "architect:milestone");
}

/** Workflow dispatch requests the app sent (including ones whose run was lost), in order. */
export function dispatchRequests(entries: readonly { method: string; endpoint: string; actor: string | null; at: number; status: number }[]): { at: number; status: number }[] {
  return entries.filter((e) => e.actor?.endsWith("[bot]") && e.method === "POST" && e.endpoint.endsWith("/dispatches")).map((e) => ({ at: e.at, status: e.status }));
}

/** A milestone body with a `## Tasks` list: each task's key, and optionally its dependencies and agent. */
export function taskListBody(tasks: readonly { key: string; dependsOn?: string[]; agent?: string }[]): string {
  const lines = tasks.map((t) =>
    [
      `- [ ] \`${t.key}\` Task ${t.key}`,
      `  - scope: \`src/${t.key}/**\``,
      ...(t.dependsOn?.length ? [`  - depends on: ${t.dependsOn.map((d) => `\`${d}\``).join(", ")}`] : []),
      ...(t.agent ? [`  - agent: ${t.agent}`] : []),
    ].join("\n"),
  );
  return `Scenario milestone.\n\n## Tasks\n\n${lines.join("\n")}\n`;
}

/** The milestone's task sub-issue with this key (from its marker), or undefined while it does not exist. */
export function taskIssue(milestone: Issue, key: string): Issue | undefined {
  return milestone.subIssues.find((i) => decodeMarker("task", i.body)?.key === key);
}

/** The bot's one-off answers on an issue (command replies and the like: comments with a reply marker). */
export function botReplies(issue: Issue): string[] {
  return issue.comments.filter((c) => c.user.login.endsWith("[bot]") && decodeMarker("reply", c.body) !== null).map((c) => c.body);
}
