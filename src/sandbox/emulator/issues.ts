import { GitHubApiError, notFound, unprocessable, validationFailed } from "./errors.js";
import type { Issue, IssueStateReason, Label, Repo, User } from "./model.js";
import { recordBodyEdit, recordTitleRename } from "./content-edits.js";
import type { World } from "./state.js";

/** Issues (and the issue half of pull requests): labels, state, assignees. Mixed into `World`. */
export class IssuesModel {
  /** Create a repository label; 422 `already_exists` when the name is taken (case-insensitive). */
  createLabel(this: World, repo: Repo, spec: { name: string; color?: string; description?: string | null }): Label {
    if (repo.labels.has(spec.name.toLowerCase())) throw validationFailed("already_exists", "Label", "name", "already_exists");
    const label: Label = {
      ...this.newIds("Label"),
      name: spec.name,
      color: (spec.color ?? "ededed").replace(/^#/, ""),
      description: spec.description ?? null,
      isDefault: false,
    };
    repo.labels.set(label.name.toLowerCase(), label);
    this.register({ type: "Label", ref: label });
    return label;
  }

  /** The label, created with GitHub's default color when missing (as adding a label by name does). */
  ensureLabel(this: World, repo: Repo, name: string): Label {
    return repo.labels.get(name.toLowerCase()) ?? this.createLabel(repo, { name });
  }

  updateLabel(this: World, repo: Repo, name: string, patch: { newName?: string; color?: string; description?: string | null }): Label {
    const label = repo.labels.get(name.toLowerCase());
    if (!label) throw notFound();
    if (patch.newName !== undefined && patch.newName !== label.name) {
      if (repo.labels.has(patch.newName.toLowerCase()) && patch.newName.toLowerCase() !== name.toLowerCase()) {
        throw validationFailed("already_exists", "Label", "name", "already_exists");
      }
      repo.labels.delete(label.name.toLowerCase());
      label.name = patch.newName;
      repo.labels.set(label.name.toLowerCase(), label);
    }
    if (patch.color !== undefined) label.color = patch.color.replace(/^#/, "");
    if (patch.description !== undefined) label.description = patch.description;
    return label;
  }

  getIssue(this: World, repo: Repo, number: number): Issue {
    const issue = repo.issues.get(number);
    if (!issue) throw notFound();
    return issue;
  }

  /** Find an issue by its database id anywhere (sub-issue and blocked-by take ids). */
  getIssueById(this: World, id: number): Issue | null {
    for (const repo of this.repos.values()) {
      for (const issue of repo.issues.values()) if (issue.id === id) return issue;
    }
    return null;
  }

  /** Open an issue; emits `issues.opened` then `issues.labeled`/`assigned` for what it was created with. */
  createIssue(this: World, repo: Repo, input: { title: string; body?: string | null; labels?: string[]; assignees?: string[]; user: User }): Issue {
    if (!input.title || !input.title.trim()) throw validationFailed("title is missing", "Issue", "title", "missing_field");
    const issue = this.newIssue(repo, input.title, input.body ?? "", input.user);
    issue.labels = uniqueLabels((input.labels ?? []).map((name) => this.ensureLabel(repo, name)));
    issue.assignees = this.assignable(repo, input.assignees ?? []);
    this.emit("issues", "opened", repo, input.user, { issue });
    for (const label of issue.labels) this.emit("issues", "labeled", repo, input.user, { issue, label });
    for (const assignee of issue.assignees) this.emit("issues", "assigned", repo, input.user, { issue, assignee });
    return issue;
  }

  newIssue(this: World, repo: Repo, title: string, body: string, user: User): Issue {
    const now = this.clock.now();
    const issue: Issue = {
      ...this.newIds("Issue"),
      number: repo.nextNumber++,
      repo,
      title,
      body,
      user,
      labels: [],
      assignees: [],
      state: "open",
      stateReason: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      comments: [],
      parent: null,
      subIssues: [],
      blockedBy: [],
      blocking: [],
      pull: null,
      locked: false,
      bodyEdits: [],
      titleRenames: [],
    };
    repo.issues.set(issue.number, issue);
    this.register({ type: "Issue", ref: issue });
    return issue;
  }

  assignable(this: World, repo: Repo, logins: string[]): User[] {
    // GitHub silently drops assignees who cannot be assigned; collaborators (and the owner) can be.
    return logins
      .filter((login) => this.hasPermission(repo, login, "triage"))
      .map((login) => this.ensureUser(login))
      .filter((user, index, all) => all.indexOf(user) === index)
      .slice(0, 10);
  }

  /** PATCH semantics: only given fields change; each change emits its own event, as on GitHub. */
  updateIssue(
    this: World,
    repo: Repo,
    issue: Issue,
    patch: { title?: string; body?: string | null; state?: "open" | "closed"; stateReason?: IssueStateReason; labels?: string[]; assignees?: string[] },
    sender: User,
  ): Issue {
    const changes: Record<string, { from: string }> = {};
    if (patch.title !== undefined && patch.title !== issue.title) {
      changes.title = { from: issue.title };
      issue.title = patch.title;
      recordTitleRename(this, issue, sender, changes.title.from);
    }
    if (patch.body !== undefined && (patch.body ?? "") !== issue.body) {
      changes.body = { from: issue.body };
      issue.body = patch.body ?? "";
      recordBodyEdit(this, issue, sender, changes.body.from);
    }
    if (Object.keys(changes).length > 0) {
      issue.updatedAt = this.clock.now();
      this.emit(issue.pull ? "pull_request" : "issues", "edited", repo, sender, { issue, pull: issue.pull ?? undefined, changes });
    }
    if (patch.labels !== undefined) this.setLabels(repo, issue, patch.labels, sender);
    if (patch.assignees !== undefined) this.setAssignees(repo, issue, patch.assignees, sender);
    if (patch.state === "closed" && issue.state === "open") this.closeIssue(repo, issue, patch.stateReason ?? "completed", sender);
    else if (patch.state === "open" && issue.state === "closed") this.reopenIssue(repo, issue, sender);
    else if (patch.state === "closed" && patch.stateReason && patch.stateReason !== issue.stateReason) {
      issue.stateReason = patch.stateReason;
      issue.updatedAt = this.clock.now();
    }
    return issue;
  }

  /** Close with a reason; a closed PR is not merged. Emits `issues.closed` (or `pull_request.closed`). */
  closeIssue(this: World, repo: Repo, issue: Issue, reason: IssueStateReason, sender: User): void {
    if (issue.state === "closed") return;
    const now = this.clock.now();
    issue.state = "closed";
    issue.stateReason = issue.pull ? null : (reason ?? "completed");
    issue.closedAt = now;
    issue.closedBy = sender;
    issue.updatedAt = now;
    if (issue.pull) this.emit("pull_request", "closed", repo, sender, { pull: issue.pull, issue });
    else this.emit("issues", "closed", repo, sender, { issue });
  }

  reopenIssue(this: World, repo: Repo, issue: Issue, sender: User): void {
    if (issue.state === "open") return;
    if (issue.pull?.merged) throw unprocessable("Cannot reopen a merged pull request");
    issue.state = "open";
    issue.stateReason = issue.pull ? null : "reopened";
    issue.closedAt = null;
    issue.closedBy = null;
    issue.updatedAt = this.clock.now();
    if (issue.pull) this.emit("pull_request", "reopened", repo, sender, { pull: issue.pull, issue });
    else this.emit("issues", "reopened", repo, sender, { issue });
  }

  /** Add labels by name (creating unknown ones); emits `labeled` for each new one. Returns all labels. */
  addLabels(this: World, repo: Repo, issue: Issue, names: string[], sender: User): Label[] {
    for (const name of names) {
      const label = this.ensureLabel(repo, name);
      if (issue.labels.includes(label)) continue;
      issue.labels.push(label);
      issue.updatedAt = this.clock.now();
      this.emit(issue.pull ? "pull_request" : "issues", "labeled", repo, sender, { issue, pull: issue.pull ?? undefined, label });
    }
    return issue.labels;
  }

  /** Replace the label set; emits `unlabeled`/`labeled` for the difference. */
  setLabels(this: World, repo: Repo, issue: Issue, names: string[], sender: User): Label[] {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    for (const label of [...issue.labels]) if (!wanted.has(label.name.toLowerCase())) this.removeLabel(repo, issue, label.name, sender);
    return this.addLabels(repo, issue, names, sender);
  }

  /** Remove one label; 404 "Label does not exist" when the issue does not have it. */
  removeLabel(this: World, repo: Repo, issue: Issue, name: string, sender: User): Label[] {
    const label = issue.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (!label) throw new GitHubApiError(404, "Label does not exist");
    issue.labels = issue.labels.filter((l) => l !== label);
    issue.updatedAt = this.clock.now();
    this.emit(issue.pull ? "pull_request" : "issues", "unlabeled", repo, sender, { issue, pull: issue.pull ?? undefined, label });
    return issue.labels;
  }

  addAssignees(this: World, repo: Repo, issue: Issue, logins: string[], sender: User): void {
    for (const user of this.assignable(repo, logins)) {
      if (issue.assignees.includes(user)) continue;
      issue.assignees.push(user);
      this.emit(issue.pull ? "pull_request" : "issues", "assigned", repo, sender, { issue, pull: issue.pull ?? undefined, assignee: user });
    }
  }

  removeAssignees(this: World, repo: Repo, issue: Issue, logins: string[], sender: User): void {
    const drop = new Set(logins.map((l) => l.toLowerCase()));
    for (const user of [...issue.assignees]) {
      if (!drop.has(user.login.toLowerCase())) continue;
      issue.assignees = issue.assignees.filter((u) => u !== user);
      this.emit(issue.pull ? "pull_request" : "issues", "unassigned", repo, sender, { issue, pull: issue.pull ?? undefined, assignee: user });
    }
  }

  setAssignees(this: World, repo: Repo, issue: Issue, logins: string[], sender: User): void {
    const keep = new Set(logins.map((l) => l.toLowerCase()));
    this.removeAssignees(repo, issue, issue.assignees.filter((u) => !keep.has(u.login.toLowerCase())).map((u) => u.login), sender);
    this.addAssignees(repo, issue, logins, sender);
  }
}


function uniqueLabels(labels: Label[]): Label[] {
  return labels.filter((label, index) => labels.indexOf(label) === index);
}
