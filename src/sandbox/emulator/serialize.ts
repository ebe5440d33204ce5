import type { Comment, CheckRun, CheckSuite, App, Installation, Issue, Label, PullRequest, Repo, Review, ReviewComment, User, WorkflowRun, Commit } from "./model.js";
import type { World } from "./state.js";

/**
 * Turns world objects into GitHub's REST JSON (the same shapes webhooks carry), with the
 * fields the OpenAPI description marks required, so Octokit users and schema checks see
 * what they would see from api.github.com. `url` fields point at the emulator.
 */
export class Serializer {
  constructor(private readonly world: World) {}

  private get api(): string {
    return this.world.apiUrl;
  }
  private get web(): string {
    return this.world.htmlUrl;
  }
  /** API base for `url` fields (the emulator's own address once it listens). */
  get apiBase(): string {
    return this.world.apiUrl;
  }
  get webBase(): string {
    return this.world.htmlUrl;
  }

  user(user: User): Record<string, unknown> {
    const url = `${this.api}/users/${encodeURIComponent(user.login)}`;
    return {
      login: user.login,
      id: user.id,
      node_id: user.nodeId,
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: "",
      url,
      html_url: `${this.web}/${user.type === "Bot" ? `apps/${user.login.replace(/\[bot\]$/, "")}` : user.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: user.type,
      user_view_type: "public",
      site_admin: false,
    };
  }

  repo(repo: Repo): Record<string, unknown> {
    const url = `${this.api}/repos/${repo.fullName}`;
    const openIssues = [...repo.issues.values()].filter((i) => i.state === "open").length;
    const pushedAt = iso(Math.max(repo.createdAt, ...[...repo.commits.values()].map((c) => c.author.date)));
    return {
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.name,
      full_name: repo.fullName,
      private: repo.visibility !== "public",
      owner: this.user(repo.owner),
      html_url: `${this.web}/${repo.fullName}`,
      description: null,
      fork: false,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://github.com/${repo.fullName}.git`,
      hooks_url: `${url}/hooks`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@github.com:${repo.fullName}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${this.web}/${repo.fullName}.git`,
      mirror_url: null,
      svn_url: `${this.web}/${repo.fullName}`,
      homepage: null,
      language: "TypeScript",
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 1,
      default_branch: repo.defaultBranch,
      open_issues: openIssues,
      open_issues_count: openIssues,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: repo.visibility,
      license: null,
      allow_auto_merge: repo.allowAutoMerge,
      allow_merge_commit: true,
      allow_squash_merge: true,
      allow_rebase_merge: true,
      pushed_at: pushedAt,
      created_at: iso(repo.createdAt),
      updated_at: pushedAt,
      network_count: 0,
      subscribers_count: 0,
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    };
  }

  label(repo: Repo, label: Label): Record<string, unknown> {
    return {
      id: label.id,
      node_id: label.nodeId,
      url: `${this.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: label.isDefault,
      description: label.description,
    };
  }

  issue(repo: Repo, issue: Issue): Record<string, unknown> {
    const url = `${this.api}/repos/${repo.fullName}/issues/${issue.number}`;
    const completed = issue.subIssues.filter((s) => s.state === "closed").length;
    const json: Record<string, unknown> = {
      url,
      repository_url: `${this.api}/repos/${repo.fullName}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.web}/${repo.fullName}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
      id: issue.id,
      node_id: issue.nodeId,
      number: issue.number,
      title: issue.title,
      user: this.user(issue.user),
      labels: issue.labels.map((l) => this.label(repo, l)),
      state: issue.state,
      state_reason: issue.stateReason,
      locked: issue.locked,
      assignee: issue.assignees[0] ? this.user(issue.assignees[0]) : null,
      assignees: issue.assignees.map((u) => this.user(u)),
      milestone: null,
      comments: issue.comments.length,
      created_at: iso(issue.createdAt),
      updated_at: iso(issue.updatedAt),
      closed_at: issue.closedAt === null ? null : iso(issue.closedAt),
      closed_by: issue.closedBy ? this.user(issue.closedBy) : null,
      author_association: this.association(repo, issue.user),
      active_lock_reason: null,
      body: issue.body,
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      reactions: emptyReactions(`${url}/reactions`),
      sub_issues_summary: {
        total: issue.subIssues.length,
        completed,
        percent_completed: issue.subIssues.length === 0 ? 0 : Math.floor((completed * 100) / issue.subIssues.length),
      },
      issue_dependencies_summary: {
        blocked_by: issue.blockedBy.filter((b) => b.state === "open").length,
        blocking: issue.blocking.filter((b) => b.state === "open").length,
        total_blocked_by: issue.blockedBy.length,
        total_blocking: issue.blocking.length,
      },
    };
    if (issue.parent) json.parent_issue_url = `${this.api}/repos/${issue.parent.repo.fullName}/issues/${issue.parent.number}`;
    if (issue.pull) {
      const pullUrl = `${this.api}/repos/${repo.fullName}/pulls/${issue.number}`;
      json.draft = issue.pull.draft;
      json.pull_request = {
        url: pullUrl,
        html_url: `${this.web}/${repo.fullName}/pull/${issue.number}`,
        diff_url: `${this.web}/${repo.fullName}/pull/${issue.number}.diff`,
        patch_url: `${this.web}/${repo.fullName}/pull/${issue.number}.patch`,
        merged_at: issue.pull.mergedAt === null ? null : iso(issue.pull.mergedAt),
      };
    }
    return json;
  }

  comment(repo: Repo, issue: Issue, comment: Comment): Record<string, unknown> {
    const url = `${this.api}/repos/${repo.fullName}/issues/comments/${comment.id}`;
    return {
      id: comment.id,
      node_id: comment.nodeId,
      url,
      html_url: `${this.web}/${repo.fullName}/issues/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${this.api}/repos/${repo.fullName}/issues/${issue.number}`,
      body: comment.body,
      user: this.user(comment.user),
      created_at: iso(comment.createdAt),
      updated_at: iso(comment.updatedAt),
      author_association: this.association(repo, comment.user),
      performed_via_github_app: comment.viaApp ? this.app(comment.viaApp) : null,
      reactions: emptyReactions(`${url}/reactions`),
    };
  }

  pull(repo: Repo, pull: PullRequest): Record<string, unknown> {
    const issue = pull.issue;
    const url = `${this.api}/repos/${repo.fullName}/pulls/${issue.number}`;
    const issueUrl = `${this.api}/repos/${repo.fullName}/issues/${issue.number}`;
    const html = `${this.web}/${repo.fullName}/pull/${issue.number}`;
    const check = issue.state === "open" ? this.world.mergeCheck(repo, pull) : null;
    const side = (ref: string, sha: string) => ({
      label: `${repo.owner.login}:${ref}`,
      ref,
      sha,
      user: this.user(repo.owner),
      repo: this.repo(repo),
    });
    return {
      url,
      id: pull.id,
      node_id: pull.nodeId,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${this.api}/repos/${repo.fullName}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${this.api}/repos/${repo.fullName}/statuses/${pull.headSha}`,
      number: issue.number,
      state: issue.state,
      locked: issue.locked,
      title: issue.title,
      user: this.user(issue.user),
      body: issue.body,
      labels: issue.labels.map((l) => this.label(repo, l)),
      milestone: null,
      active_lock_reason: null,
      created_at: iso(issue.createdAt),
      updated_at: iso(issue.updatedAt),
      closed_at: issue.closedAt === null ? null : iso(issue.closedAt),
      merged_at: pull.mergedAt === null ? null : iso(pull.mergedAt),
      merge_commit_sha: pull.mergeCommitSha,
      assignee: issue.assignees[0] ? this.user(issue.assignees[0]) : null,
      assignees: issue.assignees.map((u) => this.user(u)),
      requested_reviewers: [],
      requested_teams: [],
      head: side(pull.headRef, pull.headSha),
      base: side(pull.baseRef, pull.baseSha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${this.api}/repos/${repo.fullName}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${this.api}/repos/${repo.fullName}/statuses/${pull.headSha}` },
      },
      author_association: this.association(repo, issue.user),
      auto_merge: pull.autoMerge
        ? { enabled_by: this.user(pull.autoMerge.enabledBy), merge_method: pull.autoMerge.method, commit_title: "", commit_message: "" }
        : null,
      draft: pull.draft,
      merged: pull.merged,
      mergeable: check ? check.conflicts.length === 0 : null,
      rebaseable: check ? check.conflicts.length === 0 : null,
      mergeable_state: check ? check.mergeableState : "unknown",
      merged_by: pull.mergedBy ? this.user(pull.mergedBy) : null,
      comments: issue.comments.length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
    };
  }

  review(repo: Repo, pull: PullRequest, review: Review): Record<string, unknown> {
    const pullUrl = `${this.api}/repos/${repo.fullName}/pulls/${pull.issue.number}`;
    const html = `${this.web}/${repo.fullName}/pull/${pull.issue.number}#pullrequestreview-${review.id}`;
    return {
      id: review.id,
      node_id: review.nodeId,
      user: this.user(review.user),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: pullUrl,
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      submitted_at: iso(review.submittedAt),
      commit_id: review.commitId,
      author_association: this.association(repo, review.user),
    };
  }

  /** A `GET /pulls/{n}/reviews/{id}/comments` item (the "review comment" shape). */
  reviewComment(repo: Repo, pull: PullRequest, comment: ReviewComment): Record<string, unknown> {
    const pullUrl = `${this.api}/repos/${repo.fullName}/pulls/${pull.issue.number}`;
    return {
      id: comment.id,
      node_id: comment.nodeId,
      pull_request_review_id: comment.reviewId,
      in_reply_to_id: comment.inReplyTo ?? undefined,
      user: this.user(comment.user),
      path: comment.path,
      line: comment.line,
      original_line: comment.line,
      side: "RIGHT",
      body: comment.body,
      commit_id: pull.headSha,
      created_at: iso(comment.createdAt),
      updated_at: iso(comment.createdAt),
      html_url: `${this.web}/${repo.fullName}/pull/${pull.issue.number}#discussion_r${comment.id}`,
      pull_request_url: pullUrl,
      author_association: this.association(repo, comment.user),
    };
  }

  ref(repo: Repo, branch: string, sha: string): Record<string, unknown> {
    return {
      ref: `refs/heads/${branch}`,
      node_id: this.world.ids.nodeId("Ref", `${repo.id}:${branch}`),
      url: `${this.api}/repos/${repo.fullName}/git/refs/heads/${branch}`,
      object: { type: "commit", sha, url: `${this.api}/repos/${repo.fullName}/git/commits/${sha}` },
    };
  }

  app(app: App): Record<string, unknown> {
    return {
      id: app.id,
      client_id: `Iv1.${app.id.toString(16)}`,
      slug: app.slug,
      node_id: app.nodeId,
      owner: this.user(app.owner),
      name: app.name,
      description: null,
      external_url: `https://example.com/${app.slug}`,
      html_url: `${this.web}/apps/${app.slug}`,
      created_at: iso(app.createdAt),
      updated_at: iso(app.createdAt),
      permissions: app.permissions,
      events: app.events,
    };
  }

  installation(installation: Installation): Record<string, unknown> {
    return {
      id: installation.id,
      account: this.user(installation.account),
      repository_selection: installation.repositorySelection,
      access_tokens_url: `${this.api}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${this.api}/installation/repositories`,
      html_url: `${this.web}/settings/installations/${installation.id}`,
      app_id: installation.app.id,
      app_slug: installation.app.slug,
      target_id: installation.account.id,
      target_type: installation.account.type === "Organization" ? "Organization" : "User",
      permissions: installation.app.permissions,
      events: installation.app.events,
      created_at: iso(installation.createdAt),
      updated_at: iso(installation.createdAt),
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  }

  checkSuite(repo: Repo, suite: CheckSuite): Record<string, unknown> {
    return {
      id: suite.id,
      node_id: suite.nodeId,
      head_branch: suite.headBranch,
      head_sha: suite.headSha,
      status: suite.status,
      conclusion: suite.conclusion,
      url: `${this.api}/repos/${repo.fullName}/check-suites/${suite.id}`,
      before: null,
      after: suite.headSha,
      pull_requests: this.world.pullsForSha(repo, suite.headSha).map((p) => this.pullRef(repo, p)),
      app: this.app(suite.app),
      created_at: iso(suite.createdAt),
      updated_at: iso(suite.updatedAt),
    };
  }

  checkRun(repo: Repo, run: CheckRun): Record<string, unknown> {
    const url = `${this.api}/repos/${repo.fullName}/check-runs/${run.id}`;
    return {
      id: run.id,
      node_id: run.nodeId,
      head_sha: run.headSha,
      external_id: run.externalId ?? "",
      url,
      html_url: `${this.web}/${repo.fullName}/runs/${run.id}`,
      details_url: run.detailsUrl ?? `${this.web}/${repo.fullName}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: iso(run.startedAt),
      completed_at: run.completedAt === null ? null : iso(run.completedAt),
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: 0,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.suite.id },
      app: this.app(run.app),
      pull_requests: this.world.pullsForSha(repo, run.headSha).map((p) => this.pullRef(repo, p)),
    };
  }

  /** The minimal PR reference carried by check runs and workflow runs. */
  pullRef(repo: Repo, pull: PullRequest): Record<string, unknown> {
    const repoRef = { id: repo.id, url: `${this.api}/repos/${repo.fullName}`, name: repo.name };
    return {
      id: pull.id,
      number: pull.issue.number,
      url: `${this.api}/repos/${repo.fullName}/pulls/${pull.issue.number}`,
      head: { ref: pull.headRef, sha: pull.headSha, repo: repoRef },
      base: { ref: pull.baseRef, sha: pull.baseSha, repo: repoRef },
    };
  }

  workflowRun(repo: Repo, run: WorkflowRun): Record<string, unknown> {
    const url = `${this.api}/repos/${repo.fullName}/actions/runs/${run.id}`;
    const commit = repo.commits.get(run.headSha);
    return {
      id: run.id,
      name: run.name,
      node_id: run.nodeId,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: run.workflow.path,
      display_title: run.displayTitle,
      run_number: run.runNumber,
      run_attempt: run.runAttempt,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: run.workflow.id,
      check_suite_id: run.id + 1,
      check_suite_node_id: this.world.ids.nodeId("CheckSuite", run.id + 1),
      url,
      html_url: `${this.web}/${repo.fullName}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: iso(run.createdAt),
      updated_at: iso(run.updatedAt),
      run_started_at: iso(run.runStartedAt),
      actor: this.user(run.actor),
      triggering_actor: this.user(run.actor),
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      check_suite_url: `${this.api}/repos/${repo.fullName}/check-suites/${run.id + 1}`,
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${this.api}/repos/${repo.fullName}/actions/workflows/${run.workflow.id}`,
      head_commit: commit ? this.simpleCommit(commit) : null,
      repository: this.minimalRepo(repo),
      head_repository: this.minimalRepo(repo),
    };
  }

  simpleCommit(commit: Commit): Record<string, unknown> {
    const person = { name: commit.author.name, email: commit.author.email };
    return {
      id: commit.sha,
      tree_id: commit.sha,
      message: commit.message,
      timestamp: iso(commit.author.date),
      author: person,
      committer: person,
    };
  }

  /** GitHub's "minimal repository": the full shape minus the counts (what run payloads carry). */
  minimalRepo(repo: Repo): Record<string, unknown> {
    return this.repo(repo);
  }

  private association(repo: Repo, user: User): string {
    if (user === repo.owner) return "OWNER";
    const permission = repo.collaborators.get(user.login.toLowerCase());
    if (permission === "admin" || permission === "maintain") return "MEMBER";
    if (permission) return "COLLABORATOR";
    return "NONE";
  }
}

/** GitHub's timestamp format: ISO 8601 without milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function emptyReactions(url: string): Record<string, unknown> {
  return { url, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
}
