import type { ArchitectConfig, PlannerName } from "../core/config/config-schema.js";
import type { Plan, PlanIssue, PlanUsage } from "../core/plan/plan-schema.js";
import { formatPlanIssues, validatePlan } from "../core/plan/validate-plan.js";
import { realClock, type Clock } from "../shared/clock.js";
import { mergeUsage, priceUsage } from "./cost.js";
import { parseModelAnswer } from "./parse-answer.js";
import type { PlannerAttempt, PlanRequest, Planner, RepairTurn } from "./planner.js";

/**
 * The failover chain: providers are tried in order; a model's invalid answer goes back to
 * the same model with the validator's problems for at most `max_repairs` repairs; a
 * timeout, error, refusal, truncation or still-invalid answer moves on to the next
 * provider. Nothing here writes to GitHub: a caller applies a plan only when it is
 * complete and valid (RL-5, BI-7). Every call's tokens count, successful or not.
 */

/** Why one provider gave no plan; `issues` when the last answer failed validation. */
export interface ChainFailure {
  provider: string;
  reason: string;
  issues?: PlanIssue[];
}

export type ChainResult =
  | { ok: true; plan: Plan; warnings: PlanIssue[]; usage: PlanUsage[]; provider: PlannerName; attempts: number }
  | { ok: false; failures: ChainFailure[]; usage: PlanUsage[]; attempts: number };

export interface ChainOptions {
  chain: readonly PlannerName[];
  planners: Partial<Record<PlannerName, Planner>>;
  /** Uses planner.timeout_seconds, planner.max_repairs and prices. */
  config: Pick<ArchitectConfig, "planner" | "prices">;
  clock?: Clock;
}

type ProviderOutcome =
  | { ok: true; plan: Plan; warnings: PlanIssue[] }
  | { ok: false; failure: ChainFailure };

/** Plan with the first provider of the chain that produces a valid plan. */
export async function planWithChain(req: PlanRequest, options: ChainOptions): Promise<ChainResult> {
  const usage: PlanUsage[] = [];
  const failures: ChainFailure[] = [];
  const counter = { calls: 0 };
  for (const name of options.chain) {
    const planner = options.planners[name];
    if (!planner) {
      failures.push({ provider: name, reason: "planner is not available in this App" });
      continue;
    }
    const outcome = await runProvider(planner, req, options, usage, counter);
    if (outcome.ok) {
      return { ok: true, plan: outcome.plan, warnings: outcome.warnings, usage: mergeUsage(usage), provider: name, attempts: counter.calls };
    }
    failures.push(outcome.failure);
  }
  return { ok: false, failures, usage: mergeUsage(usage), attempts: counter.calls };
}

/** One provider: first call plus repairs, all within one `timeout_seconds` budget. */
async function runProvider(
  planner: Planner,
  req: PlanRequest,
  options: ChainOptions,
  usage: PlanUsage[],
  counter: { calls: number },
): Promise<ProviderOutcome> {
  const { timeout_seconds: timeoutSeconds, max_repairs: maxRepairs } = options.config.planner;
  const controller = new AbortController();
  const cancelTimer = (options.clock ?? realClock).setTimer(timeoutSeconds * 1000, () => controller.abort());
  const fail = (reason: string, issues?: PlanIssue[]): ProviderOutcome => ({
    ok: false,
    failure: issues ? { provider: planner.name, reason, issues } : { provider: planner.name, reason },
  });
  try {
    const repairs: RepairTurn[] = [];
    for (;;) {
      counter.calls += 1;
      const attempt = await callWithDeadline(planner, req, controller.signal, repairs);
      if (attempt === "timeout") return fail(`timed out after ${timeoutSeconds}s`);
      if (attempt.usage) usage.push(priceUsage(attempt.usage, options.config.prices));
      if (attempt.kind === "failed") return fail(attempt.reason, attempt.issues);

      const checked = checkAnswer(attempt, req);
      if (checked.ok) return checked;
      // A deterministic planner gives the same answer again: repairing it is pointless.
      if (attempt.kind === "plan") return fail(`invalid plan:\n${checked.problems}`, checked.issues);
      if (repairs.length >= maxRepairs && checked.keptTasksOnly) {
        // Only kept tasks are missing: the caller re-inserts them from the previous plan.
        return { ok: true, plan: checked.keptTasksOnly.plan, warnings: [...checked.keptTasksOnly.warnings, ...(checked.issues ?? []).map(asWarning)] };
      }
      if (repairs.length >= maxRepairs) {
        const tried = maxRepairs === 0 ? "" : ` after ${maxRepairs} repair${maxRepairs === 1 ? "" : "s"}`;
        return fail(`answer still invalid${tried}:\n${checked.problems}`, checked.issues);
      }
      repairs.push({ answer: attempt.text, problems: checked.problems });
    }
  } finally {
    cancelTimer();
  }
}

/** The planner's answer, or "timeout" when the provider's budget ran out first (even if the planner ignores the signal). */
async function callWithDeadline(
  planner: Planner,
  req: PlanRequest,
  signal: AbortSignal,
  repairs: readonly RepairTurn[],
): Promise<PlannerAttempt | "timeout"> {
  if (signal.aborted) return "timeout";
  let onAbort: () => void = () => {};
  const deadline = new Promise<"timeout">((resolve) => {
    onAbort = () => resolve("timeout");
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const call = planner.plan(req, signal, [...repairs]).catch(
      (error: unknown): PlannerAttempt => ({ kind: "failed", reason: errorReason(error), usage: null }),
    );
    const result = await Promise.race([call, deadline]);
    // An answer that raced an abort is still an answer, unless it is the abort itself.
    return result !== "timeout" && result.kind === "failed" && signal.aborted ? "timeout" : result;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

type Checked =
  | { ok: true; plan: Plan; warnings: PlanIssue[] }
  | { ok: false; problems: string; issues?: PlanIssue[]; keptTasksOnly?: { plan: Plan; warnings: PlanIssue[] } };

function checkAnswer(attempt: Exclude<PlannerAttempt, { kind: "failed" }>, req: PlanRequest): Checked {
  let value: unknown;
  if (attempt.kind === "plan") value = attempt.plan;
  else {
    const parsed = parseModelAnswer(attempt.text);
    if (!parsed.ok) return { ok: false, problems: `- ${parsed.problem}` };
    value = parsed.value;
  }
  const result = validatePlan(value, { agents: req.agents.map((a) => a.name), maxTasks: req.limits.maxTasks, maxDepth: req.limits.maxDepth });
  if (!result.ok) return { ok: false, problems: formatPlanIssues(result.issues), issues: result.issues };
  // Only a model is asked to put kept tasks back; a hand-written list is taken as written.
  const missing = attempt.kind === "answer" ? missingKeptTasks(result.plan, req) : [];
  if (missing.length > 0) {
    return { ok: false, problems: formatPlanIssues(missing), issues: missing, keptTasksOnly: { plan: result.plan, warnings: result.warnings } };
  }
  return { ok: true, plan: result.plan, warnings: result.warnings };
}

/** Re-plans must keep done and running tasks under their keys: their issues and PRs already exist. */
function missingKeptTasks(plan: Plan, req: PlanRequest): PlanIssue[] {
  const keys = new Set(plan.tasks.map((t) => t.key));
  return (req.previous?.keepKeys ?? [])
    .filter((key) => !keys.has(key))
    .map((key) => ({
      code: "schema" as const,
      path: "tasks",
      message: `task "${key}" is done or running and must stay in the plan with the same key`,
      severity: "error" as const,
    }));
}

function asWarning(issue: PlanIssue): PlanIssue {
  return { ...issue, severity: "warning" };
}

function errorReason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
