import { ArchitectConfig } from "../config/config-schema.js";
import type { PlannedTask } from "../plan/plan-schema.js";
import type {
  CheckFacts,
  IssueFacts,
  MilestoneControl,
  PullFacts,
  ReviewFacts,
  RunFacts,
  RunMode,
  Snapshot,
  TaskFacts,
} from "./snapshot.js";
import { STATE_LABELS, TASK_LABEL } from "../../shared/labels.js";
import type { TaskStateName } from "./effects.js";

/**
 * Small pure builders of Snapshots for tests of decide and anything built on it. Each
 * builder takes a partial override, so a test states only the facts it is about.
 * Times are minutes from T0 to keep scenarios readable.
 */

export const T0 = 1_700_000_000_000;
/** Epoch ms `m` minutes after T0. */
export const min = (m: number): number => T0 + m * 60_000;
export const BOT = "architect[bot]";
export const REQUESTER = "alice";

/** A config from partial input, with the schema's defaults for the rest. */
export function makeConfig(input: Record<string, unknown> = {}): ArchitectConfig {
  return ArchitectConfig.parse(input);
}

/** A planned task; title defaults to "Task <key>". */
export function planTask(key: string, over: Partial<PlannedTask> = {}): PlannedTask {
  return { key, title: `Task ${key}`, body: "", acceptance: [], depends_on: [], agent: "claude", agent_reason: "", labels: [], scope: [], estimate: 1, ...over };
}

/** An approved control record holding `tasks` as the plan. */
export function makeControl(tasks: PlannedTask[], over: Partial<MilestoneControl> = {}): MilestoneControl {
  return {
    planId: "plan-1",
    plan: { rationale: "", tasks },
    requestedBy: REQUESTER,
    approvedBy: REQUESTER,
    paused: false,
    budgetApprovedUsd: 0,
    usage: [],
    retryGrants: {},
    removedKeys: [],
    handledCommands: [],
    ...over,
  };
}

export function makeIssue(number: number, over: Partial<IssueFacts> = {}): IssueFacts {
  return {
    number,
    id: number * 1000,
    nodeId: `I_${number}`,
    title: `Task ${number}`,
    body: "",
    state: "open",
    stateReason: null,
    labels: [],
    author: BOT,
    ...over,
  };
}

/** Options for a task issue; `state` puts the matching bot label on it. */
export interface TaskOptions {
  dependsOn?: string[];
  agent?: string;
  scope?: string[];
  estimate?: number;
  requiredApprovals?: number;
  title?: string;
  labels?: string[];
  /** Adds `architect:<state>` to the labels (what a converged issue shows). */
  state?: TaskStateName;
  issue?: Partial<IssueFacts>;
  blockedBy?: number[];
  claimed?: boolean;
  pull?: PullFacts | null;
  runs?: RunFacts[];
}

/** A task issue with key `key`; its title matches `planTask(key)` unless given. */
export function makeTask(number: number, key: string, o: TaskOptions = {}): TaskFacts {
  const labels = [TASK_LABEL, ...(o.state ? [STATE_LABELS[o.state].name] : []), ...(o.labels ?? [])];
  return {
    issue: makeIssue(number, { title: o.title ?? `Task ${key}`, labels, ...o.issue }),
    marker: {
      milestone: 1,
      planId: "plan-1",
      key,
      dependsOn: o.dependsOn ?? [],
      agent: o.agent ?? "claude",
      scope: o.scope ?? [],
      estimate: o.estimate ?? 1,
      ...(o.requiredApprovals === undefined ? {} : { requiredApprovals: o.requiredApprovals }),
    },
    blockedBy: o.blockedBy ?? [],
    // A closed task's claim branch is deleted once it ends (see branch-cleanup.ts); `claimed` keeps one.
    branch: o.claimed || (o.pull && o.issue?.state !== "closed") ? { name: `architect/${number}-task-${key}`, sha: "base" } : null,
    pull: o.pull ?? null,
    runs: o.runs ?? [],
  };
}

/** A workflow run for `task`; completed successfully at `updated` unless told otherwise. */
export function makeRun(task: number, seq: number, over: Partial<RunFacts> & { mode?: RunMode } = {}): RunFacts {
  const { mode = seq === 1 ? "initial" : "retry", ...rest } = over;
  return {
    id: task * 100 + seq,
    key: { milestone: 1, task, seq, mode },
    status: "completed",
    conclusion: "success",
    createdAt: min(0),
    updatedAt: min(10),
    url: `https://example.test/runs/${task * 100 + seq}`,
    ...rest,
  };
}

export function makeCheck(name: string, over: Partial<CheckFacts> = {}): CheckFacts {
  return { nodeId: `CR_${name}`, name, title: "", status: "completed", conclusion: "success", isRequired: true, appSlug: "github-actions", summary: "", ...over };
}

export function makeReview(author: string, state: ReviewFacts["state"], over: Partial<ReviewFacts> = {}): ReviewFacts {
  const submittedAt = over.submittedAt ?? min(20);
  // A stable id per author, state and time, so expected dispatch inputs can name it.
  let id = submittedAt % 1_000_000;
  for (const ch of `${author}/${state}`) id = (id * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return { id: id + 1, author, authorIsBot: false, authorCanWrite: true, state, commitSha: "head", submittedAt, ...over };
}

/** An open, mergeable PR on head "head" with a green required `ci` check and no reviews. */
export function makePull(number: number, over: Partial<PullFacts> = {}): PullFacts {
  return {
    number,
    nodeId: `PR_${number}`,
    state: "open",
    headRef: `architect/${number}`,
    headSha: "head",
    baseRef: "main",
    author: BOT,
    isDraft: false,
    mergeable: "MERGEABLE",
    autoMergeEnabled: false,
    checks: [makeCheck("ci")],
    reviews: [],
    createdAt: min(10),
    ...over,
  };
}

/** Our own `architect/dag` check as it would look after being set to `status` with `title`. */
export function dagCheck(status: "pending" | "success", title: string): CheckFacts {
  return makeCheck("architect/dag", {
    nodeId: "CR_dag",
    title,
    status: status === "pending" ? "in_progress" : "completed",
    conclusion: status === "pending" ? null : "success",
    isRequired: true,
    appSlug: "architect",
  });
}

/** Every label Architect needs, as the repository would have them. */
export function allRepoLabels(): Record<string, string> {
  const names = [TASK_LABEL, ...Object.values(STATE_LABELS).map((l) => l.name)];
  return Object.fromEntries(names.map((n) => [n, `LA_${n}`]));
}

/** A snapshot of milestone #1 with all labels present and no status comment. */
export function makeSnapshot(over: Partial<Snapshot> & { controlValue?: MilestoneControl | null; dispatches?: Record<string, { seq: number; at: number; resent?: boolean }> } = {}): Snapshot {
  const { controlValue, dispatches, ...rest } = over;
  const value = controlValue === undefined ? makeControl([]) : controlValue;
  return {
    repo: {
      owner: "acme",
      name: "app",
      nodeId: "R_1",
      defaultBranch: "main",
      defaultBranchSha: "base",
      protection: { enabled: true, requiredChecks: ["ci"], requiredApprovals: 1 },
    },
    milestone: makeIssue(1, { title: "Milestone", author: REQUESTER }),
    control: value === null ? null : { id: 11, nodeId: "IC_11", body: "", value },
    status: dispatches ? { id: 12, nodeId: "IC_12", body: "", value: { dispatches } } : null,
    tasks: [],
    runningElsewhere: 0,
    repoLabels: allRepoLabels(),
    botLogin: BOT,
    ...rest,
  };
}
