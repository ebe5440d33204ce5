import { z } from "zod";
import { decodeMarker } from "../core/markers/markers.js";
import { parseRunTitle } from "../core/markers/run-title.js";
import { agentFromLabel, HOLD_LABEL } from "../shared/labels.js";
import { REPO_CONFIG_PATH } from "./config-loader.js";

/**
 * Webhooks only say *when* to look and *which milestone*. This turns a delivery into
 * that hint and nothing more: no decision here reads a payload field beyond the ids and
 * names needed to find the milestone. Payloads are parsed leniently; anything that
 * does not fit is ignored with a reason (a 2xx, never a crash).
 */
export type Route =
  /** `labelledAgent`: an `agent:<name>` label was just added to issue `labelled` (checked against the config). */
  | { kind: "milestone"; issue: number; labelledAgent?: { issue: number; name: string } }
  /**
   * `happenedAt`: when GitHub says the change happened (a check's completion, a review's
   * submission, a PR's update). A reconcile whose read began well after it has seen it.
   */
  | { kind: "task"; task: number; happenedAt?: number }
  | { kind: "command"; issue: number; commentId: number; body: string; author: string; authorIsBot: boolean; createdAt: string }
  | { kind: "config-changed" }
  /** Something of the repository's (a merge group) whose task is not in the payload: look at every known milestone there. */
  | { kind: "repository" }
  | { kind: "ignore"; reason: string };

export interface RouteContext {
  /** The App's bot login, `<slug>[bot]`. */
  botLogin: string;
  appSlug: string;
}

const User = z.object({ login: z.string(), type: z.string().optional() }).passthrough();
const Issue = z.object({ number: z.number().int().positive(), body: z.string().nullish(), pull_request: z.unknown().optional() }).passthrough();
const Label = z.object({ name: z.string() }).passthrough();

const IssuesEvent = z.object({ action: z.string(), issue: Issue, label: Label.optional(), sender: User.optional() }).passthrough();
const CommentEvent = z
  .object({
    action: z.string(),
    issue: Issue,
    comment: z.object({ id: z.number(), body: z.string().nullish(), user: User, created_at: z.string() }).passthrough(),
  })
  .passthrough();
const SubIssuesEvent = z.object({ parent_issue: Issue, sender: User.optional() }).passthrough();
const DependencyEvent = z.object({ blocked_issue: Issue, sender: User.optional() }).passthrough();
const PullEvent = z
  .object({
    pull_request: z.object({ head: z.object({ ref: z.string() }).passthrough(), body: z.string().nullish(), updated_at: z.string().nullish() }).passthrough(),
    review: z.object({ submitted_at: z.string().nullish() }).passthrough().nullish(),
    sender: User.optional(),
    action: z.string(),
  })
  .passthrough();
const CheckRunEvent = z
  .object({
    action: z.string().optional(),
    check_run: z
      .object({
        // GitHub omits `slug` from some app objects (see @octokit/webhooks-examples); a missing slug is not ours.
        app: z.object({ slug: z.string().optional() }).passthrough().nullish(),
        completed_at: z.string().nullish(),
        check_suite: z.object({ head_branch: z.string().nullish() }).passthrough().nullish(),
        pull_requests: z.array(z.object({ head: z.object({ ref: z.string() }).passthrough() }).passthrough()).optional(),
      })
      .passthrough(),
  })
  .passthrough();
const WorkflowRunEvent = z.object({ action: z.string().optional(), workflow_run: z.object({ display_title: z.string().nullish(), head_branch: z.string().nullish() }).passthrough() }).passthrough();
const PushEvent = z
  .object({
    ref: z.string(),
    repository: z.object({ default_branch: z.string() }).passthrough(),
    commits: z.array(z.object({ added: z.array(z.string()).optional(), modified: z.array(z.string()).optional(), removed: z.array(z.string()).optional() }).passthrough()).optional(),
  })
  .passthrough();

// Issue numbers are positive and at most 9 digits: "architect/0-x" or 25 digits is not a claim branch.
const CLAIM_BRANCH = /^architect\/([1-9]\d{0,8})-/;

/** The task number encoded in a claim branch name, or null. */
export function taskFromBranch(ref: string | null | undefined): number | null {
  const match = ref ? CLAIM_BRANCH.exec(ref.replace(/^refs\/heads\//, "")) : null;
  return match ? Number(match[1]) : null;
}

const ignore = (reason: string): Route => ({ kind: "ignore", reason });

/** An ISO timestamp from a payload as epoch ms, or null when absent or unreadable. */
function timestamp(value: string | null | undefined): number | null {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** Pull request actions that can change a task's state (edits, labels, assignments cannot). */
const MEANINGFUL_ACTIONS: Record<string, ReadonlySet<string>> = {
  pull_request: new Set(["opened", "reopened", "synchronize", "closed", "ready_for_review", "converted_to_draft", "auto_merge_disabled", "enqueued", "dequeued"]),
  pull_request_review: new Set(["submitted", "dismissed", "edited"]),
};

export function routeEvent(name: string, payload: unknown, ctx: RouteContext): Route {
  switch (name) {
    case "issue_comment":
      return routeComment(payload, ctx);
    case "issues":
      return routeIssue(payload, ctx);
    case "sub_issues": {
      const parsed = SubIssuesEvent.safeParse(payload);
      if (!parsed.success) return ignore("malformed sub_issues payload");
      if (parsed.data.sender?.login === ctx.botLogin) return ignore("echo of our own sub-issue link");
      return { kind: "milestone", issue: parsed.data.parent_issue.number };
    }
    case "issue_dependencies": {
      const parsed = DependencyEvent.safeParse(payload);
      if (!parsed.success) return ignore("malformed issue_dependencies payload");
      if (parsed.data.sender?.login === ctx.botLogin) return ignore("echo of our own dependency link");
      return routeIssueBody(parsed.data.blocked_issue);
    }
    case "pull_request":
    case "pull_request_review": {
      const parsed = PullEvent.safeParse(payload);
      if (!parsed.success) return ignore(`malformed ${name} payload`);
      if (!MEANINGFUL_ACTIONS[name]?.has(parsed.data.action)) return ignore(`${name}.${parsed.data.action} changes nothing decide reads`);
      // Our own merge: the reconcile that merged looks again right after it.
      if (parsed.data.sender?.login === ctx.botLogin) return ignore(`echo of our own ${name}.${parsed.data.action}`);
      const task = taskFromBranch(parsed.data.pull_request.head.ref) ?? decodeMarker("run", parsed.data.pull_request.body)?.task ?? null;
      if (!task) return ignore("not a task pull request");
      const happenedAt = timestamp(name === "pull_request_review" ? parsed.data.review?.submitted_at : parsed.data.pull_request.updated_at);
      return happenedAt === null ? { kind: "task", task } : { kind: "task", task, happenedAt };
    }
    case "check_run": {
      const parsed = CheckRunEvent.safeParse(payload);
      if (!parsed.success) return ignore("malformed check_run payload");
      // Only a finished check can change a verdict; created/requested ones are still pending.
      if (parsed.data.action !== "completed") return ignore(`check_run.${parsed.data.action ?? "?"} is still pending`);
      const run = parsed.data.check_run;
      if (run.app?.slug === ctx.appSlug) return ignore("our own architect/dag check");
      const task = taskFromBranch(run.check_suite?.head_branch) ?? taskFromBranch(run.pull_requests?.[0]?.head.ref);
      if (!task) return ignore("check run not on a task branch");
      const happenedAt = timestamp(run.completed_at);
      return happenedAt === null ? { kind: "task", task } : { kind: "task", task, happenedAt };
    }
    case "workflow_run": {
      const parsed = WorkflowRunEvent.safeParse(payload);
      if (!parsed.success) return ignore("malformed workflow_run payload");
      const key = parseRunTitle(parsed.data.workflow_run.display_title ?? "");
      if (!key) return ignore("not an Architect run");
      // A run that was requested or started changes nothing until it ends (stalls are timed by wakeAt).
      return parsed.data.action === "completed" ? { kind: "milestone", issue: key.milestone } : ignore(`workflow_run.${parsed.data.action ?? "?"}`);
    }
    case "merge_group": {
      // A new group needs `architect/dag` on its head (or the queue waits for it forever); the
      // payload names only the PR's number in its branch, so every known milestone looks.
      const action = (payload as { action?: unknown } | null)?.action;
      return action === "checks_requested" ? { kind: "repository" } : ignore(`merge_group.${String(action)}: the PR's own events follow`);
    }
    case "push": {
      const parsed = PushEvent.safeParse(payload);
      if (!parsed.success) return ignore("malformed push payload");
      const { ref, repository, commits = [] } = parsed.data;
      if (ref !== `refs/heads/${repository.default_branch}`) return ignore("push to another branch");
      const touched = commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(REPO_CONFIG_PATH));
      return touched ? { kind: "config-changed" } : ignore("push without config changes");
    }
    default:
      return ignore(`event ${name} is not used`);
  }
}

function routeComment(payload: unknown, ctx: RouteContext): Route {
  const parsed = CommentEvent.safeParse(payload);
  if (!parsed.success) return ignore("malformed issue_comment payload");
  const { action, issue, comment } = parsed.data;
  // Edited comments are not commands: an edit must not replay or smuggle an intent (TOCTOU).
  if (action !== "created") return ignore(`comment ${action}`);
  if (comment.user.login === ctx.botLogin) return ignore("our own comment");
  const body = comment.body ?? "";
  if (!/\/architect\b/i.test(body)) return ignore("no command");
  return {
    kind: "command",
    issue: issue.number,
    commentId: comment.id,
    body,
    author: comment.user.login,
    authorIsBot: comment.user.type === "Bot" || comment.user.login.endsWith("[bot]"),
    createdAt: comment.created_at,
  };
}

function routeIssue(payload: unknown, ctx: RouteContext): Route {
  const parsed = IssuesEvent.safeParse(payload);
  if (!parsed.success) return ignore("malformed issues payload");
  const { action, issue, label, sender } = parsed.data;
  if (issue.pull_request) return ignore("pull request, not an issue");
  if ((action === "labeled" || action === "unlabeled") && label) {
    const humanInput = agentFromLabel(label.name) !== null || label.name === HOLD_LABEL;
    if (!humanInput) return ignore(sender?.login === ctx.botLogin ? "echo of our own label" : "label not used by Architect");
    const route = routeIssueBody(issue);
    const agent = agentFromLabel(label.name);
    return action === "labeled" && agent !== null && route.kind === "milestone" ? { ...route, labelledAgent: { issue: issue.number, name: agent } } : route;
  }
  if (["closed", "reopened", "edited", "deleted"].includes(action)) {
    // Closes caused by our own merges and edits made by our replans are echoes.
    if (sender?.login === ctx.botLogin) return ignore(`echo of our own issues.${action}`);
    return routeIssueBody(issue);
  }
  return ignore(`issues.${action} is not used`);
}

/** A task's marker names its milestone; any other issue is its own milestone (or a solo task). */
function routeIssueBody(issue: z.infer<typeof Issue>): Route {
  const marker = decodeMarker("task", issue.body ?? "");
  return { kind: "milestone", issue: marker ? marker.milestone : issue.number };
}
