import type {
  BodyEdit,
  BranchProtectionFacts,
  CheckFacts,
  IssueFacts,
  MilestoneControl,
  PullFacts,
  RunFacts,
  Snapshot,
  StoredRecord,
  TaskFacts,
} from "../core/decide/snapshot.js";
import { inPlanOrder } from "../core/decide/plan-order.js";
import { decodeMarker } from "../core/markers/markers.js";
import { parseRunTitle } from "../core/markers/run-title.js";
import { SOLO_PLAN_ID } from "../core/task/agent-choice.js";
import { agentFromLabel, STATE_LABELS, TASK_LABEL } from "../shared/labels.js";
import type { CommentFacts } from "./gateway.js";
import type { GqlActor, GqlCheckContext, GqlComment, GqlIssue, GqlPull, GqlRef, RestRun, SnapshotResponse } from "./api-schemas.js";

/**
 * Turns GitHub's answers into the domain facts `decide` reads. Pure, so every mapping
 * rule (which PR belongs to a task, which comment is the bot's, what a run title means)
 * is tested without HTTP.
 */

/** GraphQL reports a bot's login without the `[bot]` suffix that REST and webhooks use. */
export function actorLogin(actor: GqlActor): { login: string; isBot: boolean } {
  if (!actor) return { login: "ghost", isBot: false };
  const isBot = actor.__typename === "Bot" || actor.login.endsWith("[bot]");
  const login = isBot && !actor.login.endsWith("[bot]") ? `${actor.login}[bot]` : actor.login;
  return { login, isBot };
}

/** An issue as IssueFacts. */
export function mapIssue(issue: GqlIssue): IssueFacts {
  return {
    number: issue.number,
    id: issue.databaseId,
    nodeId: issue.id,
    title: issue.title,
    body: issue.body,
    state: issue.state === "OPEN" ? "open" : "closed",
    stateReason: issue.stateReason ? (issue.stateReason.toLowerCase() as IssueFacts["stateReason"]) : null,
    labels: (issue.labels?.nodes ?? []).map((l) => l.name),
    author: actorLogin(issue.author).login,
    ...editFacts(issue),
  };
}

/** The body's edits, when the query read them (the milestone's); nothing for sub-issues. */
function editFacts(issue: GqlIssue): Pick<IssueFacts, "lastEdit" | "bodyEdits" | "titleRenames"> {
  if (issue.lastEditedAt === undefined) return {};
  const edit = (at: string, editor: GqlActor): BodyEdit => {
    const who = actorLogin(editor);
    return { by: who.login, byBot: who.isBot, at: Date.parse(at) };
  };
  return {
    lastEdit: issue.lastEditedAt === null ? null : edit(issue.lastEditedAt, issue.editor ?? null),
    bodyEdits: (issue.userContentEdits?.nodes ?? []).map((e) => edit(e.editedAt, e.editor)).sort((a, b) => b.at - a.at),
    titleRenames: (issue.renames?.nodes ?? [])
      .map((r) => ({ ...edit(r.createdAt, r.actor), from: r.previousTitle, to: r.currentTitle }))
      .sort((a, b) => b.at - a.at),
  };
}

/** A comment as CommentFacts. */
export function mapComment(comment: GqlComment): CommentFacts {
  const author = actorLogin(comment.author);
  return {
    id: comment.databaseId,
    nodeId: comment.id,
    author: author.login,
    authorIsBot: author.isBot,
    body: comment.body,
    createdAt: Date.parse(comment.createdAt),
    updatedAt: Date.parse(comment.updatedAt),
  };
}

/** Comments from several windows (first N, last N) without duplicates, oldest first. */
export function mergeComments(...windows: GqlComment[][]): CommentFacts[] {
  const byId = new Map<number, CommentFacts>();
  for (const window of windows) for (const c of window) byId.set(c.databaseId, mapComment(c));
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

/**
 * The bot's comment holding a valid marker of `kind`. The oldest wins: records are edited
 * in place, so a second one can only be a duplicate left by an ambiguous write, and always
 * choosing the same comment keeps reconciles stable.
 */
export function findRecord<T>(comments: CommentFacts[], botLogin: string, decode: (body: string) => T | null): StoredRecord<T> | null {
  for (const comment of comments) {
    if (comment.author !== botLogin) continue;
    const value = decode(comment.body);
    if (value !== null) return { id: comment.id, nodeId: comment.nodeId, body: comment.body, value };
  }
  return null;
}

export { parseRunTitle };

/** A workflow run as RunFacts, when its title carries a run key. */
export function mapRun(run: RestRun): RunFacts | null {
  const key = parseRunTitle(run.display_title);
  const createdAt = Date.parse(run.created_at);
  const updatedAt = Date.parse(run.updated_at);
  if (!key || !Number.isFinite(createdAt) || !Number.isFinite(updatedAt)) return null;
  return {
    id: run.id,
    key,
    status: (run.status ?? "queued") as RunFacts["status"],
    conclusion: (run.conclusion ?? null) as RunFacts["conclusion"],
    createdAt,
    updatedAt,
    url: run.html_url,
  };
}

/** The task number a claim branch belongs to: `architect/<number>-<slug>` (ref names come without the prefix). */
export function taskOfBranch(refName: string): number | null {
  const match = /^(\d+)(?:-|$)/.exec(refName);
  return match ? Number(match[1]) : null;
}

/** Among the PRs of a branch: the open one, else the latest merged, else the latest closed. */
export function pickPull(pulls: GqlPull[], headRef: string): GqlPull | null {
  const own = pulls.filter((p) => p.headRefName === headRef).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return own.find((p) => p.state === "OPEN") ?? own.find((p) => p.merged) ?? own[0] ?? null;
}

const STATUS_CONTEXT_STATE: Record<string, { status: CheckFacts["status"]; conclusion: CheckFacts["conclusion"] }> = {
  SUCCESS: { status: "completed", conclusion: "success" },
  FAILURE: { status: "completed", conclusion: "failure" },
  ERROR: { status: "completed", conclusion: "failure" },
  PENDING: { status: "pending", conclusion: null },
  EXPECTED: { status: "pending", conclusion: null },
};

/** A check run or legacy status as CheckFacts; required-ness comes from branch protection. */
export function mapCheck(context: GqlCheckContext, requiredChecks: readonly string[]): CheckFacts {
  if (context.__typename === "StatusContext") {
    const state = STATUS_CONTEXT_STATE[context.state] ?? { status: "pending", conclusion: null };
    return {
      nodeId: null,
      name: context.context,
      title: context.description ?? "",
      ...state,
      isRequired: requiredChecks.includes(context.context),
      appSlug: null,
      summary: context.description ?? "",
    };
  }
  return {
    nodeId: context.id,
    name: context.name,
    title: context.title ?? "",
    status: context.status.toLowerCase() as CheckFacts["status"],
    conclusion: context.conclusion ? (context.conclusion.toLowerCase() as CheckFacts["conclusion"]) : null,
    isRequired: requiredChecks.includes(context.name),
    appSlug: context.checkSuite?.app?.slug ?? null,
    summary: [context.title, context.summary].filter(Boolean).join("\n").slice(0, 2000),
  };
}

/** A pull request as PullFacts; checks are those on its current head commit only. */
export function mapPull(pull: GqlPull, requiredChecks: readonly string[]): PullFacts {
  const head = pull.commits.nodes.find((n) => n.commit.oid === pull.headRefOid);
  return {
    number: pull.number,
    nodeId: pull.id,
    state: pull.merged || pull.state === "MERGED" ? "merged" : pull.state === "OPEN" ? "open" : "closed",
    headRef: pull.headRefName,
    headSha: pull.headRefOid,
    baseRef: pull.baseRefName,
    author: actorLogin(pull.author).login,
    isDraft: pull.isDraft,
    mergeable: pull.mergeable,
    autoMergeEnabled: pull.autoMergeRequest !== null,
    checks: (head?.commit.statusCheckRollup?.contexts.nodes ?? []).map((c) => mapCheck(c, requiredChecks)),
    reviews: (pull.reviews?.nodes ?? []).map((r) => {
      const author = actorLogin(r.author);
      return {
        id: r.databaseId ?? 0,
        author: author.login,
        authorIsBot: author.isBot,
        authorCanWrite: r.authorCanPushToRepository,
        state: r.state,
        commitSha: r.commit?.oid ?? "",
        submittedAt: r.submittedAt ? Date.parse(r.submittedAt) : 0,
      };
    }),
    createdAt: Date.parse(pull.createdAt),
    // The runner reports each run's cost in the run marker of the PR body it writes.
    costs: decodeMarker("run", pull.body)?.costs ?? [],
    mergeQueue: pull.mergeQueueEntry
      ? {
          groupHeadSha: pull.mergeQueueEntry.headCommit?.oid ?? null,
          checks: (pull.mergeQueueEntry.headCommit?.statusCheckRollup?.contexts.nodes ?? []).map((c) => mapCheck(c, requiredChecks)),
        }
      : null,
    queueRemovals: (pull.timelineItems?.nodes ?? []).flatMap((item) =>
      "createdAt" in item && item.__typename === "RemovedFromMergeQueueEvent"
        ? [{ reason: (item as { reason: string | null }).reason ?? "", headSha: (item as { beforeCommit: { oid: string } | null }).beforeCommit?.oid ?? "", at: Date.parse(item.createdAt as string) }]
        : [],
    ),
  };
}

/** Inputs to `buildSnapshot` besides the GraphQL answer. */
export interface SnapshotContext {
  owner: string;
  repo: string;
  milestone: number;
  botLogin: string;
  protection: BranchProtectionFacts | null;
  runs: RunFacts[];
}

/** The prefix the claim refs carry in `headRefName` (GraphQL ref names drop `refs/heads/architect/`). */
const CLAIM_BRANCH_PREFIX = "architect/";

/** Assemble the Snapshot; null when the number is not an issue (absent, or a PR). */
export function buildSnapshot(data: SnapshotResponse, ctx: SnapshotContext): Snapshot | null {
  const repository = data.repository;
  const issue = repository?.issueOrPullRequest;
  if (!repository || !issue || issue.__typename !== "Issue") return null;
  const required = ctx.protection?.requiredChecks ?? [];
  const comments = mergeComments(issue.firstComments.nodes, issue.comments.nodes);
  const control = findRecord(comments, ctx.botLogin, (body) => decodeMarker("control", body));
  const status = findRecord(comments, ctx.botLogin, (body) => {
    const record = decodeMarker("status", body);
    return record && record.milestone === ctx.milestone ? { dispatches: record.dispatches } : null;
  });

  const branches = new Map<number, GqlRef>();
  for (const ref of repository.refs?.nodes ?? []) {
    const task = taskOfBranch(ref.name);
    if (task !== null && ref.target && !branches.has(task)) branches.set(task, ref);
  }

  const tasks: TaskFacts[] = [];
  for (const sub of issue.subIssues.nodes) {
    const marker = decodeMarker("task", sub.body);
    if (!marker || marker.milestone !== ctx.milestone) continue;
    const ref = branches.get(sub.number);
    const branchName = ref ? `${CLAIM_BRANCH_PREFIX}${ref.name}` : null;
    const pull = ref && branchName ? pickPull(ref.associatedPullRequests.nodes, branchName) : null;
    tasks.push({
      issue: mapIssue(sub),
      marker,
      blockedBy: (sub.blockedBy?.nodes ?? []).map((n) => n.number),
      branch: ref && branchName ? { name: branchName, sha: ref.target!.oid } : null,
      pull: pull ? mapPull(pull, required) : null,
      runs: ctx.runs.filter((r) => r.key.task === sub.number).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id),
    });
  }
  const solo = tasks.length === 0 ? soloTask(issue, branches, ctx, control) : null;
  if (solo) tasks.push(solo.task);
  const effectiveControl = solo ? solo.control : control;
  const ordered = inPlanOrder(tasks, effectiveControl?.value.plan ?? null);

  const running = STATE_LABELS.running.name;
  const runningHere = ordered.filter((t) => t.issue.state === "open" && t.issue.labels.includes(running)).length;
  return {
    repo: {
      owner: ctx.owner,
      name: ctx.repo,
      nodeId: repository.id,
      defaultBranch: repository.defaultBranchRef?.name ?? "main",
      defaultBranchSha: repository.defaultBranchRef?.target?.oid ?? "",
      protection: ctx.protection,
    },
    milestone: mapIssue(issue),
    control: effectiveControl,
    status,
    tasks: ordered,
    runningElsewhere: Math.max(0, data.search.issueCount - runningHere),
    repoLabels: Object.fromEntries((repository.labels?.nodes ?? []).map((l) => [l.name, l.id])),
    botLogin: ctx.botLogin,
  };
}

/**
 * An issue that is not part of any plan but carries an `agent:<name>` label runs as one
 * task: itself. Its marker and control record are synthesised (plan id "solo"); a claim
 * branch left behind after the label was removed keeps it visible, so its run can be
 * cancelled. A stored control record of a solo run (after `/architect retry`) is kept.
 */
type MilestoneIssue = Extract<NonNullable<NonNullable<SnapshotResponse["repository"]>["issueOrPullRequest"]>, { __typename: "Issue" }>;

function soloTask(
  issue: MilestoneIssue,
  branches: Map<number, GqlRef>,
  ctx: SnapshotContext,
  control: StoredRecord<MilestoneControl> | null,
): { task: TaskFacts; control: StoredRecord<MilestoneControl> } | null {
  if ((control && control.value.planId !== SOLO_PLAN_ID) || issue.subIssues.nodes.length > 0) return null;
  if (decodeMarker("task", issue.body)) return null; // a planned task is never its own milestone
  const facts = mapIssue(issue);
  const agent = facts.labels.map(agentFromLabel).find((n): n is string => n !== null) ?? "";
  const ref = branches.get(issue.number);
  if (agent === "" && !ref) return null;
  const branchName = ref ? `${CLAIM_BRANCH_PREFIX}${ref.name}` : null;
  const pull = ref && branchName ? pickPull(ref.associatedPullRequests.nodes, branchName) : null;
  const task: TaskFacts = {
    issue: facts,
    marker: { milestone: issue.number, planId: SOLO_PLAN_ID, key: SOLO_PLAN_ID, dependsOn: [], agent, scope: [], estimate: 1 },
    blockedBy: [],
    branch: ref && branchName ? { name: branchName, sha: ref.target!.oid } : null,
    pull: pull ? mapPull(pull, ctx.protection?.requiredChecks ?? []) : null,
    runs: ctx.runs.filter((r) => r.key.task === issue.number).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id),
  };
  const value: MilestoneControl = control?.value ?? {
    planId: SOLO_PLAN_ID,
    plan: {
      rationale: "A single issue assigned with an agent label.",
      tasks: [{ key: SOLO_PLAN_ID, title: facts.title, body: "", acceptance: [], depends_on: [], agent, agent_reason: "agent label", labels: [], scope: [], estimate: 1 }],
    },
    requestedBy: facts.author,
    approvedBy: "label",
    paused: false,
    budgetApprovedUsd: 0,
    usage: [],
    retryGrants: {},
    removedKeys: [],
    handledCommands: [],
  };
  return { task, control: control ?? { id: 0, nodeId: "", body: "", value } };
}

/**
 * Whether the runs list is worth a request: some task holds a claim and is not merged yet,
 * or an open task without a claim may be started and may have run before (its claim branch
 * was deleted when it failed): its runs keep the attempt budget and the run numbers. A task
 * labelled only blocked (or not at all) has not run; a ready one may be a failed task given
 * another attempt that waits for a slot.
 */
export function needsRuns(data: SnapshotResponse, milestone: number): boolean {
  const issue = data.repository?.issueOrPullRequest;
  if (!issue || issue.__typename !== "Issue") return false;
  const open = issue.subIssues.nodes.filter((s) => decodeMarker("task", s.body)?.milestone === milestone && s.state === "OPEN");
  const ours = new Set(open.map((s) => s.number));
  if (issue.state === "OPEN") ours.add(milestone); // a single issue run by its agent label is its own task
  const claimed = new Set<number>();
  const holdsClaim = (data.repository?.refs?.nodes ?? []).some((ref) => {
    const task = taskOfBranch(ref.name);
    if (task === null || !ours.has(task)) return false;
    claimed.add(task);
    return !ref.associatedPullRequests.nodes.some((p) => p.merged && p.headRefName === `${CLAIM_BRANCH_PREFIX}${ref.name}`);
  });
  if (holdsClaim) return true;
  const mayHaveRun = (labels: readonly string[]) => labels.some((l) => l !== STATE_LABELS.blocked.name && (l.startsWith("architect:") || agentFromLabel(l) !== null));
  const solo = issue.state === "OPEN" && open.length === 0 && (issue.labels?.nodes ?? []).some((l) => agentFromLabel(l.name) !== null) && !claimed.has(milestone);
  return solo || open.some((s) => !claimed.has(s.number) && mayHaveRun((s.labels?.nodes ?? []).map((l) => l.name).filter((l) => l !== TASK_LABEL)));
}
