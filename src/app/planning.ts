import type { ArchitectConfig, PlannerName } from "../core/config/config-schema.js";
import type { MilestoneControl, Snapshot, TaskFacts } from "../core/decide/snapshot.js";
import { encodeMarker, stripMarkers } from "../core/markers/markers.js";
import type { Plan, PlanIssue, PlanUsage } from "../core/plan/plan-schema.js";
import { formatPlanIssues } from "../core/plan/validate-plan.js";
import { budgetReached, milestoneSpend } from "../core/cost/spend.js";
import { formatUsd } from "../core/render/format.js";
import { diffPlans, renderPlanDiff, renderPlanPreview, type PlanDiff } from "../core/render/plan-preview.js";
import type { CommentFacts, GitHubGateway, Permission } from "../github/gateway.js";
import type { Planner } from "../planners/planner.js";
import { planWithChain, type ChainFailure } from "../planners/plan-with-chain.js";
import { selectTrustedComments } from "../planners/trusted-comments.js";
import { estimatePlanCostUsd } from "../planners/cost.js";
import { realClock } from "../shared/clock.js";
import { checkPlanSource, planSourceHash } from "./plan-source.js";

/** Builds the planners for a repository's config (the App's environment supplies keys and hosts). */
export type PlannerFactory = (config: ArchitectConfig) => Partial<Record<PlannerName, Planner>>;

/** GitHub caps a comment at 65,536 characters; keep a margin for the marker. */
const MAX_CONTROL_COMMENT = 60_000;

export interface PlanningInput {
  gateway: GitHubGateway;
  config: ArchitectConfig;
  planners: PlannerFactory;
  botLogin: string;
  snapshot: Snapshot;
  comments: readonly CommentFacts[];
  trigger: { commentId: number; author: string; createdAt: number };
  replan: boolean;
}

export type PlanningOutcome =
  /** `body` is the control comment to store; the caller writes it with its answer. */
  | { ok: true; control: MilestoneControl; body: string; message: string }
  | { ok: false; message: string };

/**
 * Plan (or re-plan) a milestone into its control record. Nothing is written here: the
 * caller stores the record, labels the milestone and answers in one request, and
 * sub-issues appear when reconcile sees an approved plan. When planning fails, the caller
 * posts `message` once and nothing else happens.
 */
export async function planMilestone(input: PlanningInput): Promise<PlanningOutcome> {
  const { gateway, config, snapshot, trigger } = input;
  const previous = snapshot.control?.value ?? null;
  if (previous && !input.replan) {
    return { ok: false, message: "This milestone already has a plan. Use `/architect replan` to plan the unfinished part again." };
  }
  const spent = milestoneSpend(snapshot, previous, config.prices).totalUsd;
  if (budgetReached(config, previous?.budgetApprovedUsd ?? 0, spent)) {
    return { ok: false, message: `The budget of ${formatUsd(config.budget.usd)} is spent (${formatUsd(spent)}). Comment \`/architect approve\` to allow more, then plan again.` };
  }

  // Only text someone with write access endorsed, as it stood when the command was written.
  const refusal = await checkPlanSource(gateway, snapshot.milestone, input.replan ? "replan" : "plan", trigger.createdAt);
  if (refusal !== null) return { ok: false, message: refusal };

  const keepKeys = snapshot.tasks.filter(isStartedOrDone).map((t) => t.marker.key);
  const usesModel = config.planner.chain.some((p) => p !== "markdown");
  const permissions = await permissionsOf(gateway, input.comments);
  const result = await planWithChain(
    {
      milestone: { number: snapshot.milestone.number, title: snapshot.milestone.title, body: stripMarkers(snapshot.milestone.body) },
      comments: selectTrustedComments(input.comments, permissions, trigger.createdAt, input.botLogin),
      repo: usesModel ? await gateway.getRepoContext().catch(() => null) : null,
      agents: config.agents,
      defaultAgent: config.default_agent,
      limits: { maxTasks: config.planner.max_tasks, maxDepth: config.planner.max_depth },
      previous: previous ? { plan: previous.plan, keepKeys } : undefined,
    },
    // Model servers answer in wall-clock time even when the App runs on a compressed sandbox clock.
    { chain: config.planner.chain, planners: input.planners(config), config, clock: realClock },
  );
  if (!result.ok) return { ok: false, message: renderPlanningFailure(result.failures) };

  const missingKept = keepKeys.filter((k) => !result.plan.tasks.some((t) => t.key === k));
  const plan: Plan = missingKept.length === 0 ? result.plan : keepStartedTasks(result.plan, previous?.plan, missingKept);
  const usage = [...(previous?.usage ?? []), ...result.usage];
  const control: MilestoneControl = {
    planId: `p${trigger.commentId}`,
    plan,
    requestedBy: trigger.author,
    approvedBy: config.approval.plan === "auto" ? trigger.author : null,
    paused: previous?.paused ?? false,
    budgetApprovedUsd: previous?.budgetApprovedUsd ?? 0,
    usage,
    retryGrants: previous?.retryGrants ?? {},
    removedKeys: previous ? previous.plan.tasks.map((t) => t.key).filter((k) => !plan.tasks.some((t) => t.key === k)) : [],
    handledCommands: [...(previous?.handledCommands ?? []), trigger.commentId].slice(-50),
    sourceHash: planSourceHash(snapshot.milestone),
  };
  const doneKeys = snapshot.tasks.filter((t) => t.issue.state === "closed").map((t) => t.marker.key);
  const startedKeys = keepKeys.filter((k) => !doneKeys.includes(k));
  const body = renderControlComment(control, config, result.warnings, previous ? { plan: previous.plan, doneKeys, startedKeys } : null);
  if (body.length > MAX_CONTROL_COMMENT) {
    return { ok: false, message: `The plan is too large to store in a comment (${body.length} characters). Split the milestone or lower \`planner.max_tasks\`.` };
  }
  const approval = control.approvedBy
    ? creationNote(previous ? diffPlans(previous.plan, plan, keepKeys) : null)
    : "Comment `/architect approve` to create the sub-issues.";
  return { ok: true, control, body, message: `Planned ${plan.tasks.length} tasks with \`${result.provider}\`. ${approval}` };
}

/** What an approved plan makes happen now: every sub-issue for a first plan, only the difference for a replan. */
function creationNote(diff: PlanDiff | null): string {
  if (diff === null) return "Creating the sub-issues now.";
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const parts = [
    diff.added.length > 0 ? `Creating ${count(diff.added.length, "new sub-issue")} now.` : "No new sub-issues are needed.",
    diff.changed.length > 0 ? `Updating ${count(diff.changed.length, "task")}.` : "",
    diff.removed.length > 0 ? `Closing ${count(diff.removed.length, "removed task")} as not planned.` : "",
  ];
  return parts.filter((p) => p !== "").join(" ");
}

/** The control comment: a readable preview with the record hidden in its marker. */
export function renderControlComment(
  control: MilestoneControl,
  config: ArchitectConfig,
  warnings: readonly PlanIssue[],
  diffFrom: { plan: Plan; doneKeys: string[]; startedKeys?: string[] } | null,
): string {
  const marker = encodeMarker("control", control);
  const diff = diffFrom ? `\n\n${renderPlanDiff(diffFrom.plan, control.plan, diffFrom.doneKeys, diffFrom.startedKeys)}` : "";
  const render = (detailsBudget?: number, compact = false) =>
    renderPlanPreview({
      plan: control.plan,
      usage: control.usage,
      warnings: [...warnings],
      approvalRequired: control.approvedBy === null,
      estimatedUsd: estimatePlanCostUsd(control.usage),
      detailsBudget,
      compact,
    });
  let preview = render();
  const room = MAX_CONTROL_COMMENT - marker.length - diff.length - 4;
  // A large plan's marker leaves less room: fold fewer task details (the sub-issues have
  // them all), then leave out the graph too. planMilestone refuses what still does not fit.
  if (preview.length > room) preview = render(Math.max(0, 20_000 - (preview.length - room)));
  if (preview.length > room) preview = render(0, true);
  return `${preview}${diff}\n\n${marker}`;
}

async function permissionsOf(gateway: GitHubGateway, comments: readonly CommentFacts[]): Promise<Map<string, Permission>> {
  const authors = [...new Set(comments.filter((c) => !c.authorIsBot).map((c) => c.author))];
  const permissions = new Map<string, Permission>();
  for (const author of authors) {
    // Fail closed: a lookup error means the comment is not trusted.
    permissions.set(author, await gateway.getPermission(author).catch((): Permission => "none"));
  }
  return permissions;
}

function isStartedOrDone(task: TaskFacts): boolean {
  return task.branch !== null || task.pull !== null || task.issue.state === "closed";
}

/** A replan may not drop work that started: such tasks are carried over from the old plan. */
function keepStartedTasks(plan: Plan, old: Plan | undefined, keys: readonly string[]): Plan {
  const carried = (old?.tasks ?? []).filter((t) => keys.includes(t.key));
  return { ...plan, tasks: [...carried, ...plan.tasks] };
}

/**
 * The "could not plan" comment: one line per provider, its problems listed once under it.
 * A reason that comes with validation issues already holds them as text (for the CLI and a
 * model's repair turn), so only its first line is kept.
 */
export function renderPlanningFailure(failures: readonly ChainFailure[]): string {
  const lines = failures.map((f) => {
    const [headline = "", ...rest] = f.reason.split("\n");
    const detail = f.issues && f.issues.length > 0 ? formatPlanIssues(f.issues) : rest.join("\n").trim();
    return `- **${f.provider}**: ${headline}${detail === "" ? "" : `\n${indent(detail)}`}`;
  });
  return ["**Architect could not plan this milestone.** Nothing was created.", "", ...lines].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

export type { PlanUsage };
