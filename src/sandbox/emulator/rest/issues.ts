import { GitHubApiError, notFound, validationFailed } from "../errors.js";
import type { Issue, IssueStateReason } from "../model.js";
import { paginate, repoOf, str, type RouteContext, type Router } from "./router.js";

/**
 * Issues, comments, labels, sub-issues, blocked-by dependencies and assignees.
 * Sub-issue and dependency bodies take database ids (`issue.id`), never numbers.
 */
export function issueRoutes(router: Router): void {
  const base = "/repos/{owner}/{repo}";

  router.add("GET", `${base}/issues`, (ctx) => {
    const repo = repoOf(ctx);
    const state = ctx.query.get("state") ?? "open";
    const labels = (ctx.query.get("labels") ?? "").split(",").filter(Boolean).map((l) => l.toLowerCase());
    const direction = ctx.query.get("direction") ?? "desc";
    const since = ctx.query.get("since");
    let issues = [...repo.issues.values()].filter((i) => state === "all" || i.state === state);
    if (labels.length > 0) issues = issues.filter((i) => labels.every((l) => i.labels.some((x) => x.name.toLowerCase() === l)));
    if (since) issues = issues.filter((i) => i.updatedAt >= Date.parse(since));
    issues.sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
    const { page, headers } = paginate(issues, ctx);
    return { status: 200, json: page.map((i) => ctx.ser.issue(repo, i)), headers };
  });

  router.add("POST", `${base}/issues`, (ctx) => {
    const repo = repoOf(ctx);
    const title = ctx.body.title;
    if (typeof title !== "string" && typeof title !== "number") throw validationFailed("title wasn't supplied", "Issue", "title", "missing_field");
    const issue = ctx.world.createIssue(repo, {
      title: String(title),
      body: str(ctx.body, "body") ?? null,
      labels: labelNames(ctx.body.labels),
      assignees: [...(Array.isArray(ctx.body.assignees) ? (ctx.body.assignees as string[]) : []), ...(typeof ctx.body.assignee === "string" ? [ctx.body.assignee] : [])],
      user: ctx.actor,
    });
    return { status: 201, json: ctx.ser.issue(repo, issue), headers: { location: `${ctx.world.apiUrl}/repos/${repo.fullName}/issues/${issue.number}` } };
  });

  router.add("GET", `${base}/issues/comments/{comment_id}`, (ctx) => {
    const repo = repoOf(ctx);
    const found = ctx.world.findComment(repo, Number(ctx.params.comment_id));
    if (!found) throw notFound();
    return { status: 200, json: ctx.ser.comment(repo, found.issue, found.comment) };
  });

  router.add("PATCH", `${base}/issues/comments/{comment_id}`, (ctx) => {
    const repo = repoOf(ctx);
    const body = str(ctx.body, "body");
    if (body === undefined) throw validationFailed("body wasn't supplied", "IssueComment", "body", "missing_field");
    const comment = ctx.world.updateComment(repo, Number(ctx.params.comment_id), body, ctx.actor);
    const { issue } = ctx.world.findComment(repo, comment.id)!;
    return { status: 200, json: ctx.ser.comment(repo, issue, comment) };
  });

  router.add("DELETE", `${base}/issues/comments/{comment_id}`, (ctx) => {
    ctx.world.deleteComment(repoOf(ctx), Number(ctx.params.comment_id), ctx.actor);
    return { status: 204 };
  });

  router.add("GET", `${base}/issues/{issue_number}`, (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: ctx.ser.issue(repo, issueOf(ctx)) };
  });

  router.add("PATCH", `${base}/issues/{issue_number}`, (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx);
    const state = str(ctx.body, "state");
    if (state !== undefined && state !== "open" && state !== "closed") throw validationFailed("state is not included in the list", "Issue", "state", "invalid");
    const reason = ctx.body.state_reason as IssueStateReason | undefined;
    if (reason !== undefined && reason !== null && !["completed", "not_planned", "reopened", "duplicate"].includes(reason)) {
      throw validationFailed("state_reason is not included in the list", "Issue", "state_reason", "invalid");
    }
    ctx.world.updateIssue(
      repo,
      issue,
      {
        title: ctx.body.title === undefined ? undefined : String(ctx.body.title),
        body: ctx.body.body === undefined ? undefined : (ctx.body.body as string | null),
        state: state as "open" | "closed" | undefined,
        stateReason: reason ?? undefined,
        labels: ctx.body.labels === undefined ? undefined : labelNames(ctx.body.labels),
        assignees: Array.isArray(ctx.body.assignees) ? (ctx.body.assignees as string[]) : undefined,
      },
      ctx.actor,
    );
    return { status: 200, json: ctx.ser.issue(repo, issue) };
  });

  router.add("GET", `${base}/issues/{issue_number}/comments`, (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx);
    const since = ctx.query.get("since");
    const comments = since ? issue.comments.filter((c) => c.updatedAt >= Date.parse(since)) : issue.comments;
    const { page, headers } = paginate(comments, ctx);
    return { status: 200, json: page.map((c) => ctx.ser.comment(repo, issue, c)), headers };
  });

  router.add("POST", `${base}/issues/{issue_number}/comments`, (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx);
    const body = str(ctx.body, "body");
    if (!body) throw validationFailed("body wasn't supplied", "IssueComment", "body", "missing_field");
    const comment = ctx.world.createComment(repo, issue, body, ctx.actor, ctx.grant?.kind === "installation" ? ctx.app : null);
    return { status: 201, json: ctx.ser.comment(repo, issue, comment) };
  });

  // ---- labels
  router.add("GET", `${base}/labels`, (ctx) => {
    const repo = repoOf(ctx);
    const { page, headers } = paginate([...repo.labels.values()], ctx);
    return { status: 200, json: page.map((l) => ctx.ser.label(repo, l)), headers };
  });

  router.add("POST", `${base}/labels`, (ctx) => {
    const repo = repoOf(ctx);
    const name = str(ctx.body, "name");
    if (!name) throw validationFailed("name wasn't supplied", "Label", "name", "missing_field");
    const label = ctx.world.createLabel(repo, { name, color: str(ctx.body, "color"), description: str(ctx.body, "description") ?? null });
    return { status: 201, json: ctx.ser.label(repo, label) };
  });

  router.add("GET", `${base}/labels/{name}`, (ctx) => {
    const repo = repoOf(ctx);
    const label = repo.labels.get(ctx.params.name!.toLowerCase());
    if (!label) throw notFound();
    return { status: 200, json: ctx.ser.label(repo, label) };
  });

  router.add("PATCH", `${base}/labels/{name}`, (ctx) => {
    const repo = repoOf(ctx);
    const label = ctx.world.updateLabel(repo, ctx.params.name!, {
      newName: str(ctx.body, "new_name"),
      color: str(ctx.body, "color"),
      description: ctx.body.description === undefined ? undefined : (ctx.body.description as string | null),
    });
    return { status: 200, json: ctx.ser.label(repo, label) };
  });

  router.add("GET", `${base}/issues/{issue_number}/labels`, (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: issueOf(ctx).labels.map((l) => ctx.ser.label(repo, l)) };
  });

  router.add("POST", `${base}/issues/{issue_number}/labels`, (ctx) => {
    const repo = repoOf(ctx);
    const names = labelNames(Array.isArray(ctx.body) ? ctx.body : ctx.body.labels);
    if (names.length === 0) throw validationFailed("Invalid request.\n\nNo labels given.", "Label", "labels", "missing_field");
    const labels = ctx.world.addLabels(repo, issueOf(ctx), names, ctx.actor);
    return { status: 200, json: labels.map((l) => ctx.ser.label(repo, l)) };
  });

  router.add("PUT", `${base}/issues/{issue_number}/labels`, (ctx) => {
    const repo = repoOf(ctx);
    const labels = ctx.world.setLabels(repo, issueOf(ctx), labelNames(Array.isArray(ctx.body) ? ctx.body : ctx.body.labels), ctx.actor);
    return { status: 200, json: labels.map((l) => ctx.ser.label(repo, l)) };
  });

  router.add("DELETE", `${base}/issues/{issue_number}/labels/{+name}`, (ctx) => {
    const repo = repoOf(ctx);
    const labels = ctx.world.removeLabel(repo, issueOf(ctx), ctx.params.name!, ctx.actor);
    return { status: 200, json: labels.map((l) => ctx.ser.label(repo, l)) };
  });

  // ---- assignees
  router.add("POST", `${base}/issues/{issue_number}/assignees`, (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx);
    ctx.world.addAssignees(repo, issue, (ctx.body.assignees as string[] | undefined) ?? [], ctx.actor);
    return { status: 201, json: ctx.ser.issue(repo, issue) };
  });

  router.add("DELETE", `${base}/issues/{issue_number}/assignees`, (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx);
    ctx.world.removeAssignees(repo, issue, (ctx.body.assignees as string[] | undefined) ?? [], ctx.actor);
    return { status: 200, json: ctx.ser.issue(repo, issue) };
  });

  // ---- sub-issues (ids, not numbers)
  router.add("GET", `${base}/issues/{issue_number}/sub_issues`, (ctx) => {
    const issue = issueOf(ctx);
    const { page, headers } = paginate(issue.subIssues, ctx);
    return { status: 200, json: page.map((i) => ctx.ser.issue(i.repo, i)), headers };
  });

  router.add("POST", `${base}/issues/{issue_number}/sub_issues`, (ctx) => {
    const repo = repoOf(ctx);
    const parent = issueOf(ctx);
    const child = issueById(ctx, ctx.body.sub_issue_id, "sub_issue_id");
    ctx.world.addSubIssue(repo, parent, child, { replaceParent: ctx.body.replace_parent === true }, ctx.actor);
    return { status: 201, json: ctx.ser.issue(child.repo, child), headers: { location: `${ctx.world.apiUrl}/repos/${repo.fullName}/issues/${parent.number}/sub_issues` } };
  });

  router.add("DELETE", `${base}/issues/{issue_number}/sub_issue`, (ctx) => {
    const repo = repoOf(ctx);
    const parent = issueOf(ctx);
    const child = issueById(ctx, ctx.body.sub_issue_id, "sub_issue_id");
    ctx.world.removeSubIssue(repo, parent, child, ctx.actor);
    return { status: 200, json: ctx.ser.issue(child.repo, child) };
  });

  router.add("GET", `${base}/issues/{issue_number}/parent`, (ctx) => {
    const parent = issueOf(ctx).parent;
    if (!parent) throw notFound();
    return { status: 200, json: ctx.ser.issue(parent.repo, parent) };
  });

  // ---- dependencies (blocked by)
  router.add("GET", `${base}/issues/{issue_number}/dependencies/blocked_by`, (ctx) => {
    const { page, headers } = paginate(issueOf(ctx).blockedBy, ctx);
    return { status: 200, json: page.map((i) => ctx.ser.issue(i.repo, i)), headers };
  });

  router.add("GET", `${base}/issues/{issue_number}/dependencies/blocking`, (ctx) => {
    const { page, headers } = paginate(issueOf(ctx).blocking, ctx);
    return { status: 200, json: page.map((i) => ctx.ser.issue(i.repo, i)), headers };
  });

  router.add("POST", `${base}/issues/{issue_number}/dependencies/blocked_by`, (ctx) => {
    const repo = repoOf(ctx);
    const blocked = issueOf(ctx);
    const blocker = issueById(ctx, ctx.body.issue_id, "issue_id");
    ctx.world.addBlockedBy(repo, blocked, blocker, ctx.actor);
    return { status: 201, json: ctx.ser.issue(blocker.repo, blocker) };
  });

  router.add("DELETE", `${base}/issues/{issue_number}/dependencies/blocked_by/{issue_id}`, (ctx) => {
    const repo = repoOf(ctx);
    const blocked = issueOf(ctx);
    const blocker = issueById(ctx, Number(ctx.params.issue_id), "issue_id");
    ctx.world.removeBlockedBy(repo, blocked, blocker, ctx.actor);
    return { status: 200, json: ctx.ser.issue(blocker.repo, blocker) };
  });
}

function issueOf(ctx: RouteContext): Issue {
  const number = Number(ctx.params.issue_number);
  if (!Number.isInteger(number)) throw notFound();
  return ctx.world.getIssue(repoOf(ctx), number);
}

function issueById(ctx: RouteContext, raw: unknown, field: string): Issue {
  if (typeof raw !== "number" || !Number.isInteger(raw)) {
    throw new GitHubApiError(422, `Invalid request.\n\nFor '${field}', ${JSON.stringify(raw)} is not an integer.`);
  }
  const issue = ctx.world.getIssueById(raw);
  // GitHub cannot find an issue by a number passed where an id belongs: that is a 404.
  if (!issue || issue.repo.owner !== repoOf(ctx).owner) throw notFound();
  return issue;
}

function labelNames(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((l) => (typeof l === "string" ? l : typeof l === "object" && l && "name" in l ? String((l as { name: unknown }).name) : String(l)));
}
