import { parseCommands, type Command } from "../core/commands/parse-commands.js";
import { renderHelp, renderUnknownCommand } from "../core/commands/command-help.js";
import { decide } from "../core/decide/decide.js";
import type { MilestoneControl, Snapshot, TaskFacts } from "../core/decide/snapshot.js";
import { decodeMarker } from "../core/markers/markers.js";
import type { CommentFacts, GitHubGateway } from "../github/gateway.js";
import type { Clock } from "../shared/clock.js";
import { budgetReached, milestoneSpend } from "../core/cost/spend.js";
import type { ConfigResult } from "./config-loader.js";
import { renderConfigProblems } from "./config-report.js";
import { runDoctor } from "./doctor.js";
import type { Logger } from "./logger.js";
import { writeCommandResult } from "./command-writes.js";
import { formatUsd } from "../core/render/format.js";
import { planMilestone, renderControlComment, type PlannerFactory } from "./planning.js";
import { planSourceHash } from "./plan-source.js";
import { approvalSourceRefusal } from "../core/commands/plan-source.js";
import { REFUSAL_TOPIC, refusedRecently } from "../core/commands/refusals.js";
import { DEFAULT_REFUSALS_PER_HOUR } from "../core/config/config-schema.js";
import type { RefusalLimiter } from "./refusal-limiter.js";
import { hasReply, replyOnce, withReplyMarker } from "./replies.js";
import type { Route } from "./route-event.js";

export interface CommandEnv {
  gateway: GitHubGateway;
  configResult: ConfigResult;
  clock: Clock;
  log: Logger;
  botLogin: string;
  planners: PlannerFactory;
  requestReconcile: (milestone: number) => void;
  /** The repository-wide hourly cap on refusals; none: no cap (tests that drive one command). */
  refusals?: { limiter: RefusalLimiter; repo: string };
}

type CommandRoute = Extract<Route, { kind: "command" }>;
const WRITERS = new Set(["admin", "maintain", "write"]);

/**
 * Commands are the one edge-triggered input: authorise the author, record the intent in
 * GitHub (the control record), answer once, then let reconcile take over. A redelivered
 * command finds its answer (reply marker) or its id in the control record and does nothing.
 */
export async function handleCommand(env: CommandEnv, route: CommandRoute): Promise<void> {
  const commands = parseCommands(route.body);
  if (commands.length === 0 || route.authorIsBot) return;
  const { gateway, botLogin } = env;
  // The thread comes with the snapshot of its issue: for a command on a milestone, the
  // first command needs no second read.
  const thread = await gateway.loadThread(route.issue, { botLogin });
  if (!thread) return;
  const answered = (topic: string) => hasReply(thread.comments, botLogin, route.commentId, topic);
  const reply = (topic: string, body: string) => replyOnce(gateway, route.issue, botLogin, route.commentId, topic, body, thread.comments);

  // Only people with write access steer Architect; a lookup error refuses (fail closed).
  const permission = await gateway.getPermission(route.author).catch(() => "none" as const);
  if (!WRITERS.has(permission)) {
    await refuse(env, route, thread.comments);
    return;
  }
  if (!env.configResult.ok) {
    await reply("config", renderConfigProblems(env.configResult));
    return;
  }
  const config = env.configResult.config;
  const parent = decodeMarker("task", thread.issue.body)?.milestone;
  const milestone = parent ?? route.issue;
  let unchanged: Snapshot | null = parent === undefined ? thread.snapshot : null;
  for (const command of commands) {
    if (answered(command.kind)) {
      // A plan stored and answered whose label op alone failed: the retry adds the label.
      if ((command.kind === "plan" || command.kind === "replan") && unchanged?.control) {
        await writeCommandResult(gateway, unchanged, { control: null, labelMilestone: true, reply: null });
        unchanged = null;
      }
      // A retry after GitHub stored the answer but the response was lost must still set the
      // milestone going: no webhook of the App's own writes will.
      env.requestReconcile(milestone);
      continue;
    }
    // After a command's writes, the next command of the same comment reads again.
    const snapshot = unchanged ?? (await gateway.loadSnapshot(milestone, { botLogin, includeRuns: "auto" }));
    unchanged = null;
    if (!snapshot) continue;
    const context: RunContext = { env, config, route, snapshot, comments: thread.comments, milestone, control: null, labelMilestone: false };
    const answer = await runCommand(context, command);
    await writeCommandResult(gateway, snapshot, {
      control: context.control,
      labelMilestone: context.labelMilestone,
      reply: answer ? { subjectNodeId: thread.issue.nodeId, body: withReplyMarker(answer, route.commentId, command.kind) } : null,
    });
    env.requestReconcile(milestone);
  }
}

/**
 * Tell someone without write access that nothing was done: at most once per person, issue
 * and day (read from Architect's earlier refusals on the issue), and within the repository's
 * hourly cap. Past either, the attempt gets no answer at all: an answer is what a flood of
 * commands would otherwise buy.
 */
async function refuse(env: CommandEnv, route: CommandRoute, comments: readonly CommentFacts[]): Promise<void> {
  const now = env.clock.now();
  if (hasReply(comments, env.botLogin, route.commentId, REFUSAL_TOPIC)) return;
  if (refusedRecently(comments, env.botLogin, route.author, now)) {
    env.log.info({ author: route.author, issue: route.issue }, "command by someone without write access; refused on this issue within a day already, not answered");
    return;
  }
  const perHour = env.configResult.ok ? env.configResult.config.commands.refusals_per_hour : DEFAULT_REFUSALS_PER_HOUR;
  if (env.refusals && !env.refusals.limiter.tryTake(env.refusals.repo, now, perHour)) {
    env.log.warn({ author: route.author, issue: route.issue, perHour }, "command by someone without write access; the repository's refusals for this hour are used up, not answered");
    return;
  }
  const body = `@${route.author} only people with write access to this repository can run Architect commands, so nothing was done. (Further attempts on this issue today get no answer.)`;
  await replyOnce(env.gateway, route.issue, env.botLogin, route.commentId, REFUSAL_TOPIC, body, comments, route.author);
}

interface RunContext {
  env: CommandEnv;
  config: Extract<ConfigResult, { ok: true }>["config"];
  route: CommandRoute;
  snapshot: Snapshot;
  comments: readonly CommentFacts[];
  milestone: number;
  /** Set by the command: the control comment's new body, written with the answer. */
  control: string | null;
  /** Set by the command: the milestone is planned and must carry its label. */
  labelMilestone: boolean;
}

/** Run one command; returns the answer to post (null when the command answers itself). */
async function runCommand(ctx: RunContext, command: Command): Promise<string | null> {
  const { env, config, route, snapshot } = ctx;
  const control = snapshot.control?.value ?? null;
  if (control?.handledCommands.includes(route.commentId) && command.kind !== "plan" && command.kind !== "replan") return null;
  switch (command.kind) {
    case "plan":
    case "replan": {
      if (control?.handledCommands.includes(route.commentId)) return null;
      const outcome = await planMilestone({
        gateway: env.gateway,
        config,
        planners: env.planners,
        botLogin: env.botLogin,
        snapshot,
        comments: ctx.comments,
        trigger: { commentId: route.commentId, author: route.author, createdAt: Date.parse(route.createdAt) },
        replan: command.kind === "replan",
      });
      if (outcome.ok) {
        ctx.control = outcome.body;
        ctx.labelMilestone = true;
      }
      return outcome.message;
    }
    case "approve":
      return approve(ctx, control);
    case "pause":
    case "resume": {
      if (!control) return "There is no plan here yet. Comment `/architect plan` first.";
      const paused = command.kind === "pause";
      if (control.paused === paused) return paused ? "Already paused." : "Not paused.";
      updateControl(ctx, { ...control, paused });
      return paused ? "Paused: no new runs start and nothing merges until `/architect resume`. Runs in progress finish." : "Resumed.";
    }
    case "retry":
      return retry(ctx, control, command.issue ?? null);
    case "cancel":
      return cancel(ctx, command.issue ?? null);
    case "status": {
      const decision = decide(snapshot, config, env.clock.now());
      const counts = Object.values(decision.states).reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.state]: (acc[s.state] ?? 0) + 1 }), {});
      const summary = Object.entries(counts).map(([state, n]) => `${n} ${state}`).join(", ") || "no tasks yet";
      return `Status: ${summary}. The status comment on #${ctx.milestone} is refreshed now.`;
    }
    case "doctor":
      return runDoctor(env.gateway, snapshot, config);
    case "help":
      return renderHelp();
    case "unknown":
      return renderUnknownCommand(command.verb);
    case "invalid":
      return command.message;
  }
}

async function approve(ctx: RunContext, control: MilestoneControl | null): Promise<string> {
  const { config, route } = ctx;
  if (!control) return "There is no plan to approve. Comment `/architect plan` first.";
  if (control.approvedBy === null) {
    const refusal = approvalSourceRefusal(ctx.snapshot.milestone, control.sourceHash, planSourceHash(ctx.snapshot.milestone));
    if (refusal !== null) return refusal;
    updateControl(ctx, { ...control, approvedBy: route.author });
    return `Plan approved by @${route.author}. Creating ${control.plan.tasks.length} sub-issues.`;
  }
  const spent = milestoneSpend(ctx.snapshot, control, config.prices).totalUsd;
  if (budgetReached(config, control.budgetApprovedUsd, spent)) {
    // Allowed spend is budget + approved, so approving the current spend grants one more budget's worth.
    updateControl(ctx, { ...control, budgetApprovedUsd: spent });
    return `Budget raised: another ${formatUsd(config.budget.usd)} may be spent before Architect asks again.`;
  }
  return "Nothing is waiting for approval.";
}

async function retry(ctx: RunContext, control: MilestoneControl | null, issue: number | null): Promise<string> {
  if (!control) return "There is no plan here yet. Comment `/architect plan` first.";
  const states = decide(ctx.snapshot, ctx.config, ctx.env.clock.now()).states;
  const stuck = (t: TaskFacts) => ["failed", "needs-human"].includes(states[t.issue.number]?.state ?? "");
  const onTask = issue === null && ctx.route.issue !== ctx.milestone;
  const targets = issue !== null || onTask ? [findTask(ctx, issue ?? ctx.route.issue)].filter((t): t is TaskFacts => t !== null) : ctx.snapshot.tasks.filter(stuck);
  if (targets.length === 0) return "No failed task to retry.";
  const notStuck = targets.filter((t) => !stuck(t));
  if (notStuck.length > 0) return `${notStuck.map((t) => `#${t.issue.number} is ${states[t.issue.number]?.state ?? "unknown"}`).join(", ")}: only failed tasks can be retried.`;
  const grants = { ...control.retryGrants };
  for (const t of targets) grants[t.marker.key] = (grants[t.marker.key] ?? 0) + 1;
  updateControl(ctx, { ...control, retryGrants: grants });
  return `Retrying ${targets.map((t) => `#${t.issue.number}`).join(", ")} with one more attempt.`;
}

async function cancel(ctx: RunContext, issue: number | null): Promise<string> {
  const { gateway } = ctx.env;
  const onTask = issue === null && ctx.route.issue !== ctx.milestone;
  const targets = issue !== null || onTask ? [findTask(ctx, issue ?? ctx.route.issue)].filter((t): t is TaskFacts => t !== null) : ctx.snapshot.tasks.filter((t) => t.issue.state === "open");
  if (targets.length === 0) return "Nothing to cancel.";
  for (const task of targets) {
    for (const run of task.runs.filter((r) => r.status !== "completed")) await gateway.cancelRun(run.id).catch(() => {});
  }
  await gateway.applyBatch(targets.filter((t) => t.issue.state === "open").map((t) => ({ kind: "closeIssue" as const, issueNodeId: t.issue.nodeId, reason: "not_planned" as const })));
  return `Cancelled ${targets.map((t) => `#${t.issue.number}`).join(", ")} (closed as not planned; runs in progress were cancelled).`;
}

function findTask(ctx: RunContext, issue: number | null) {
  const number = issue ?? ctx.route.issue;
  return ctx.snapshot.tasks.find((t) => t.issue.number === number) ?? null;
}

/** The control record the command leaves, written together with its answer. */
function updateControl(ctx: RunContext, control: MilestoneControl): void {
  const next = { ...control, handledCommands: [...control.handledCommands, ctx.route.commentId].slice(-50) };
  ctx.control = renderControlComment(next, ctx.config, [], null);
}
