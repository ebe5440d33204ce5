/**
 * The agent workflow's dispatch inputs, validated again inside the runner.
 * The workflow's first step already rejects bad values in the shell; checking here too
 * means the runner is safe to call from anywhere (a test, a self-hosted wrapper) and that
 * every later module can rely on typed, pattern-checked values.
 */

/** Why a run was dispatched: first attempt, retry after a failure, or rework after "changes requested". */
export type RunnerMode = "initial" | "retry" | "review";

/** Validated dispatch inputs. Only ids and names: never issue or comment text. */
export interface RunnerInputs {
  task: number;
  milestone: number;
  /** The claim branch `architect/<task>-<slug>`; the PR's head. */
  branch: string;
  /** The PR's base branch (the default branch, or a dependency's branch in `advance_on: checks`). */
  base: string;
  /** `architect <milestone>/<task>/<seq>/<mode>`: the run-name Architect correlates runs by. */
  runTitle: string;
  /** `<milestone>/<task>/<seq>/<mode>`: what goes in the PR's run marker. */
  runKey: string;
  seq: number;
  agent: string;
  attempt: number;
  mode: RunnerMode;
  /** Mode `review` only: the id of the review Architect decided to act on (null otherwise). */
  reviewId: number | null;
  /** The task's correlation id (empty when the dispatch carried none): logs and the PR marker repeat it. */
  correlationId: string;
}

/**
 * The patterns, shared with the workflow's shell validation (test/workflows checks they agree).
 * Anchored and narrow on purpose: these values reach argv, git refs and API paths.
 */
export const INPUT_PATTERNS = {
  task: /^[1-9][0-9]{0,9}$/,
  milestone: /^[1-9][0-9]{0,9}$/,
  attempt: /^[0-9]{1,3}$/,
  branch: /^architect\/[0-9]+-[a-z0-9-]+$/,
  // A branch name git and GitHub both accept, without shell or option syntax.
  base: /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/,
  agent: /^[a-z][a-z0-9-]{0,31}$/,
  mode: /^(initial|retry|review)$/,
  run_key: /^architect [0-9]+\/[0-9]+\/[0-9]+\/(initial|retry|review)$/,
  // Optional: empty unless mode is review, then required (checked below).
  review_id: /^([1-9][0-9]{0,15})?$/,
  // Optional: a dispatch from an older Architect has none.
  correlation_id: /^(m[0-9]{1,12}-t[0-9]{1,10})?$/,
} as const;

export type InputName = keyof typeof INPUT_PATTERNS;

/** The environment variable each input arrives in (the workflow maps `inputs.x` to these). */
export const INPUT_ENV: Record<InputName, string> = {
  task: "ARCHITECT_TASK",
  milestone: "ARCHITECT_MILESTONE",
  attempt: "ARCHITECT_ATTEMPT",
  branch: "ARCHITECT_BRANCH",
  base: "ARCHITECT_BASE",
  agent: "ARCHITECT_AGENT",
  mode: "ARCHITECT_MODE",
  run_key: "ARCHITECT_RUN_KEY",
  review_id: "ARCHITECT_REVIEW_ID",
  correlation_id: "ARCHITECT_CORRELATION_ID",
};

/** Validation outcome: all errors at once, so a misconfigured dispatch is fixed in one go. */
export type InputsResult = { ok: true; inputs: RunnerInputs } | { ok: false; errors: string[] };

/** Read and validate every input from `env`. Never echoes a rejected value (it may be hostile). */
export function parseRunnerInputs(env: Record<string, string | undefined>): InputsResult {
  const errors: string[] = [];
  const raw = {} as Record<InputName, string>;
  for (const name of Object.keys(INPUT_PATTERNS) as InputName[]) {
    const value = env[INPUT_ENV[name]] ?? "";
    if (!INPUT_PATTERNS[name].test(value)) errors.push(`input '${name}' is missing or does not match ${INPUT_PATTERNS[name]}`);
    raw[name] = value;
  }
  if (errors.length === 0) {
    if (raw.base.includes("..") || raw.base.endsWith("/") || raw.base.endsWith(".lock")) {
      errors.push("input 'base' is not a valid branch name");
    }
    if (!raw.branch.startsWith(`architect/${raw.task}-`)) errors.push("input 'branch' does not belong to input 'task'");
    if (raw.mode === "review" && raw.review_id === "") errors.push("input 'review_id' is required in mode 'review' (the review Architect decided to act on)");
    if (raw.mode !== "review" && raw.review_id !== "") errors.push("input 'review_id' is only allowed in mode 'review'");
    const [m, t, , mode] = raw.run_key.slice("architect ".length).split("/");
    if (m !== raw.milestone || t !== raw.task || mode !== raw.mode) {
      errors.push("input 'run_key' does not match inputs 'milestone', 'task' and 'mode'");
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const runKey = raw.run_key.slice("architect ".length);
  return {
    ok: true,
    inputs: {
      task: Number(raw.task),
      milestone: Number(raw.milestone),
      branch: raw.branch,
      base: raw.base,
      runTitle: raw.run_key,
      runKey,
      seq: Number(runKey.split("/")[2]),
      agent: raw.agent,
      attempt: Number(raw.attempt),
      mode: raw.mode as RunnerMode,
      reviewId: raw.review_id === "" ? null : Number(raw.review_id),
      correlationId: raw.correlation_id,
    },
  };
}
