/**
 * How scripted participants behave. Everything is keyed by task issue number (as a string)
 * or task key, and by attempt (1-based: index 0 is the first attempt); unspecified cases
 * succeed. Delays are sandbox milliseconds.
 */
export type AgentOutcome = "success" | "fail" | "stall" | "no-pr";

export interface AgentBehaviour {
  outcome: AgentOutcome;
  /** Overrides `agent.durationMs` for this run. */
  durationMs?: number;
  /** Files to write instead of the default change inside the task's scope. */
  files?: Record<string, string | null>;
}

export interface TaskRef {
  /** Task issue number. */
  task: number;
  /** Task key from the task marker, when the issue has one. */
  key: string | null;
  /** 1-based attempt (for the agent: the `attempt` input; for CI and review: the cycle on the PR). */
  attempt: number;
}

export interface ActorScript {
  agent?: {
    /** Queue-to-start delay (default 1 s). */
    startDelayMs?: number;
    /** Start-to-finish duration (default 60 s). */
    durationMs?: number;
    /** Per task (number or key): behaviour per attempt; the last entry repeats. */
    byTask?: Record<string, (AgentOutcome | AgentBehaviour)[]>;
    /** Full control; wins over `byTask`. */
    behave?: (ref: TaskRef & { mode: string; runTitle: string }) => AgentOutcome | AgentBehaviour | undefined;
    /** Workflow file the runner listens for (default: any run whose inputs have `task` and `branch`). */
    workflowPath?: string;
  };
  ci?: {
    /** Name of the check run (default `ci/test`). */
    checkName?: string;
    delayMs?: number;
    /** Per task: conclusion per CI cycle on the PR; the last entry repeats. */
    byTask?: Record<string, ("success" | "failure")[]>;
    behave?: (ref: TaskRef) => "success" | "failure" | undefined;
    /** Per task: conclusion per merge group built for its PR (attempt = group number); default success. */
    byGroup?: Record<string, ("success" | "failure")[]>;
  };
  reviewer?: {
    login?: string;
    delayMs?: number;
    /** Per task: verdict per review cycle; the last entry repeats. */
    byTask?: Record<string, ("approve" | "request_changes")[]>;
    behave?: (ref: TaskRef) => "approve" | "request_changes" | "none" | undefined;
  };
  /** Turn an actor off entirely. */
  disable?: ("agent" | "ci" | "reviewer")[];
}

/** Pick the entry for `attempt` from a per-task table by number or key; the last one repeats. */
export function fromTable<T>(table: Record<string, T[]> | undefined, ref: TaskRef): T | undefined {
  const list = table?.[String(ref.task)] ?? (ref.key ? table?.[ref.key] : undefined);
  if (!list || list.length === 0) return undefined;
  return list[Math.min(ref.attempt, list.length) - 1];
}
