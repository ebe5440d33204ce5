import type { WorldEvent } from "./events.js";
import type { Installation, Repo } from "./model.js";
import { iso, type Serializer } from "./serialize.js";

/**
 * Build a webhook payload in GitHub's shape from a world event, at the moment it happens
 * (objects keep changing afterwards). Common keys: `action`, `repository`, `sender`,
 * `installation`, and `organization` when the owner is an organization.
 */
export function buildPayload(ser: Serializer, event: WorldEvent, installation: Installation): Record<string, unknown> {
  const { repo, data } = event;
  const payload: Record<string, unknown> = {};
  if (event.action) payload.action = event.action;
  switch (event.name) {
    case "issues":
      payload.issue = ser.issue(repo, data.issue!);
      if (data.label) payload.label = ser.label(repo, data.label);
      if (data.assignee) payload.assignee = ser.user(data.assignee);
      if (data.changes) payload.changes = data.changes;
      break;
    case "issue_comment":
      payload.issue = ser.issue(repo, data.issue!);
      payload.comment = ser.comment(repo, data.issue!, data.comment!);
      if (data.changes) payload.changes = data.changes;
      break;
    case "sub_issues": {
      const parent = data.parentIssue!;
      const child = data.subIssue!;
      Object.assign(payload, {
        parent_issue_id: parent.id,
        parent_issue: ser.issue(parent.repo, parent),
        parent_issue_repo: ser.repo(parent.repo),
        sub_issue_id: child.id,
        sub_issue: ser.issue(child.repo, child),
        sub_issue_repo: ser.repo(child.repo),
      });
      break;
    }
    case "issue_dependencies": {
      const blocked = data.blockedIssue!;
      const blocking = data.blockingIssue!;
      Object.assign(payload, {
        blocked_issue_id: blocked.id,
        blocked_issue: ser.issue(blocked.repo, blocked),
        blocking_issue_id: blocking.id,
        blocking_issue: ser.issue(blocking.repo, blocking),
        blocking_issue_repo: ser.repo(blocking.repo),
      });
      break;
    }
    case "pull_request": {
      const pull = data.pull!;
      payload.number = pull.issue.number;
      payload.pull_request = ser.pull(repo, pull);
      if (data.label) payload.label = ser.label(repo, data.label);
      if (data.assignee) payload.assignee = ser.user(data.assignee);
      if (data.changes) payload.changes = data.changes;
      if (event.action === "synchronize") {
        payload.before = pushBefore(repo, pull.headSha);
        payload.after = pull.headSha;
      }
      if (event.action === "dequeued" && data.reason) payload.reason = data.reason;
      break;
    }
    case "merge_group": {
      const group = data.mergeGroup!;
      const commit = repo.commits.get(group.headSha);
      payload.merge_group = {
        head_sha: group.headSha,
        head_ref: `refs/heads/${group.headRef}`,
        base_sha: group.baseSha,
        base_ref: `refs/heads/${group.entry.baseRef}`,
        head_commit: commit ? ser.simpleCommit(commit) : null,
      };
      if (data.reason) payload.reason = data.reason;
      break;
    }
    case "pull_request_review":
      payload.review = { ...ser.review(repo, data.pull!, data.review!), state: data.review!.state.toLowerCase() };
      payload.pull_request = ser.pull(repo, data.pull!);
      break;
    case "check_run":
      payload.check_run = { ...ser.checkRun(repo, data.checkRun!), check_suite: ser.checkSuite(repo, data.checkRun!.suite) };
      break;
    case "check_suite":
      payload.check_suite = ser.checkSuite(repo, data.checkSuite!);
      break;
    case "workflow_run": {
      const run = data.run!;
      payload.workflow_run = ser.workflowRun(repo, run);
      payload.workflow = {
        id: run.workflow.id,
        node_id: run.workflow.nodeId,
        name: run.workflow.name,
        path: run.workflow.path,
        state: run.workflow.state,
        created_at: iso(run.workflow.createdAt),
        updated_at: iso(run.workflow.createdAt),
        url: `${ser.apiBase}/repos/${repo.fullName}/actions/workflows/${run.workflow.id}`,
      };
      break;
    }
    case "push": {
      const push = data.push!;
      const commits = push.commits.map((c) => ({
        ...ser.simpleCommit(c),
        distinct: true,
        url: `${ser.webBase}/${repo.fullName}/commit/${c.sha}`,
        added: [],
        removed: [],
        modified: [],
      }));
      Object.assign(payload, {
        ref: push.ref,
        before: push.before,
        after: push.after,
        created: push.created,
        deleted: push.deleted,
        forced: push.forced,
        base_ref: null,
        compare: `${ser.webBase}/${repo.fullName}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
        commits,
        head_commit: commits.at(-1) ?? null,
        pusher: { name: event.sender.login, email: null },
      });
      break;
    }
    case "create":
    case "delete":
      Object.assign(payload, {
        ref: data.create!.ref,
        ref_type: data.create!.refType,
        pusher_type: "user",
        ...(event.name === "create" ? { master_branch: repo.defaultBranch, description: null } : {}),
      });
      break;
    default:
      break;
  }
  payload.repository = ser.repo(repo);
  if (repo.owner.type === "Organization") {
    const org = ser.user(repo.owner);
    payload.organization = {
      login: org.login,
      id: org.id,
      node_id: org.node_id,
      url: `${ser.apiBase}/orgs/${repo.owner.login}`,
      repos_url: `${ser.apiBase}/orgs/${repo.owner.login}/repos`,
      events_url: `${ser.apiBase}/orgs/${repo.owner.login}/events`,
      hooks_url: `${ser.apiBase}/orgs/${repo.owner.login}/hooks`,
      issues_url: `${ser.apiBase}/orgs/${repo.owner.login}/issues`,
      members_url: `${ser.apiBase}/orgs/${repo.owner.login}/members{/member}`,
      public_members_url: `${ser.apiBase}/orgs/${repo.owner.login}/public_members{/member}`,
      avatar_url: org.avatar_url,
      description: null,
    };
  }
  payload.sender = ser.user(event.sender);
  payload.installation = { id: installation.id, node_id: installation.nodeId };
  return payload;
}

function pushBefore(repo: Repo, headSha: string): string {
  return repo.commits.get(headSha)?.parents[0] ?? "0".repeat(40);
}
