import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import { GitHubApiError, notFound, unprocessable, validationFailed } from "./errors.js";
import type { EventListener, WorldEvent, WorldEventData } from "./events.js";
import { ancestors, commitSha, isAncestor, mergeBase, mergeTrees } from "./git.js";
import { IdAllocator, type NodeType } from "./ids.js";
import type {
  App,
  BranchProtection,
  CheckConclusion,
  CheckRun,
  CheckStatus,
  CheckSuite,
  Comment,
  Commit,
  Installation,
  Issue,
  IssueStateReason,
  Label,
  Permission,
  PullRequest,
  Repo,
  Review,
  ReviewState,
  TokenGrant,
  User,
  Workflow,
  WorkflowRun,
} from "./model.js";
import { parseWorkflowFile, renderRunName } from "./workflow-file.js";

export type * from "./model.js";
export type { WorldEvent, WorldEventData, EventListener } from "./events.js";
export { GitHubApiError } from "./errors.js";

/** What a node id resolves to; GraphQL `node(id:)` and mutations taking ids use it. */
export type NodeRef =
  | { type: "User" | "Bot"; ref: User }
  | { type: "App"; ref: App }
  | { type: "Installation"; ref: Installation }
  | { type: "Repository"; ref: Repo }
  | { type: "Issue"; ref: Issue }
  | { type: "PullRequest"; ref: PullRequest }
  | { type: "IssueComment"; ref: Comment }
  | { type: "Label"; ref: Label }
  | { type: "Commit"; ref: Commit }
  | { type: "PullRequestReview"; ref: Review }
  | { type: "CheckRun"; ref: CheckRun }
  | { type: "CheckSuite"; ref: CheckSuite }
  | { type: "Workflow"; ref: Workflow }
  | { type: "WorkflowRun"; ref: WorkflowRun };

/** GitHub's published limits that the emulator enforces. */
export const LIMITS = {
  subIssuesPerParent: 100,
  subIssueLevels: 8,
  blockedByPerIssue: 50,
  dispatchInputs: 25,
} as const;

const PERMISSION_RANK: Record<Permission | "none", number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const CLOSING_KEYWORDS = /\b(?:close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved)\s*:?\s+#(\d+)\b/gi;

/** Why a pull request cannot be merged right now; empty when it can. */
export interface MergeCheck {
  conflicts: string[];
  /** Messages GitHub would give for unmet branch protection, in its words. */
  blockers: string[];
  /** GitHub's `mergeable_state`. */
  mergeableState: "clean" | "blocked" | "dirty" | "unstable" | "behind" | "draft";
}

/**
 * The in-memory GitHub: plain data plus the mutation methods that apply GitHub's rules and
 * emit the webhook events a real change would. Nothing here speaks HTTP, so REST routes,
 * GraphQL resolvers and scripted actors all share one set of semantics.
 */
export class World {
  readonly clock: Clock;
  readonly ids = new IdAllocator();
  /** Base of `url` fields; the server sets it to its own address once listening. */
  apiUrl = "https://api.github.com";
  readonly htmlUrl = "https://github.com";

  readonly users = new Map<string, User>();
  readonly apps = new Map<number, App>();
  readonly installations = new Map<number, Installation>();
  /** by lower-cased `owner/name` */
  readonly repos = new Map<string, Repo>();
  readonly tokens = new Map<string, TokenGrant>();
  readonly nodes = new Map<string, NodeRef>();

  private readonly listeners = new Set<EventListener>();
  private shaSalt = 0;

  constructor(options: { clock: Clock }) {
    this.clock = options.clock;
  }

  // ---------------------------------------------------------------- plumbing

  /** Receive every event (webhooks and actors subscribe); returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolve a GraphQL node id back to the object it names. */
  lookupNode(nodeId: string): NodeRef | null {
    return this.nodes.get(nodeId) ?? null;
  }

  private emit(name: string, action: string | null, repo: Repo, sender: User, data: WorldEventData): void {
    const event: WorldEvent = { name, action, repo, sender, at: this.clock.now(), data };
    for (const listener of [...this.listeners]) listener(event);
  }

  private register<T extends NodeRef>(entry: T): T["ref"] {
    const ref = entry.ref as { nodeId: string };
    this.nodes.set(ref.nodeId, entry);
    return entry.ref;
  }

  private newIds(type: NodeType): { id: number; nodeId: string } {
    const id = this.ids.id();
    return { id, nodeId: this.ids.nodeId(type, id) };
  }

  // ---------------------------------------------------------------- users, apps, tokens

  /** The user with this login, created on first use. */
  ensureUser(login: string, type: User["type"] = "User"): User {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const user: User = { ...this.newIds(type === "Bot" ? "Bot" : "User"), login, type };
    this.users.set(login.toLowerCase(), user);
    this.register({ type: type === "Bot" ? "Bot" : "User", ref: user });
    return user;
  }

  getUser(login: string): User | null {
    return this.users.get(login.toLowerCase()) ?? null;
  }

  /** Register a GitHub App with a fresh RSA key pair and its `<slug>[bot]` user. */
  createApp(options: {
    slug: string;
    name?: string;
    owner?: string;
    webhookUrl?: string | null;
    webhookSecret?: string | null;
    permissions?: Record<string, string>;
    events?: string[];
  }): App {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const app: App = {
      ...this.newIds("App"),
      slug: options.slug,
      name: options.name ?? options.slug,
      owner: this.ensureUser(options.owner ?? "sandbox-org", "Organization"),
      botUser: this.ensureUser(`${options.slug}[bot]`, "Bot"),
      privateKeyPem: privateKey,
      publicKeyPem: publicKey,
      webhookUrl: options.webhookUrl ?? null,
      webhookSecret: options.webhookSecret ?? null,
      permissions: options.permissions ?? {
        issues: "write",
        pull_requests: "write",
        contents: "write",
        checks: "write",
        actions: "write",
        metadata: "read",
      },
      events: options.events ?? [],
      createdAt: this.clock.now(),
    };
    this.apps.set(app.id, app);
    this.register({ type: "App", ref: app });
    return app;
  }

  /** Install an App on an account for the given repositories. */
  installApp(app: App, account: User, repos: Repo[]): Installation {
    const installation: Installation = {
      ...this.newIds("Installation"),
      app,
      account,
      repositorySelection: "selected",
      repos: [...repos],
      createdAt: this.clock.now(),
    };
    this.installations.set(installation.id, installation);
    this.register({ type: "Installation", ref: installation });
    return installation;
  }

  /** The installation of `app` that covers `repo`, if any. */
  installationFor(app: App, repo: Repo): Installation | null {
    for (const installation of this.installations.values()) {
      if (installation.app === app && installation.repos.includes(repo)) return installation;
    }
    return null;
  }

  /** Mint an installation access token (valid one hour, as on GitHub). */
  createInstallationToken(installation: Installation, ttlMs = 3_600_000, nowMs = this.clock.now()): { token: string; expiresAt: number } {
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    const expiresAt = nowMs + ttlMs;
    this.tokens.set(token, { kind: "installation", installation, expiresAt });
    return { token, expiresAt };
  }

  /** A personal token for a scripted human (or bot) actor. */
  createUserToken(login: string): string {
    const user = this.ensureUser(login);
    const token = `ghp_${randomBytes(18).toString("base64url")}`;
    this.tokens.set(token, { kind: "user", user });
    return token;
  }

  /**
   * The grant behind a token, or null when unknown or expired. Pass the same time base the
   * token was minted with (the server uses wall-clock time, see auth.ts).
   */
  resolveToken(token: string, nowMs = this.clock.now()): TokenGrant | null {
    const grant = this.tokens.get(token);
    if (!grant) return null;
    if (grant.kind === "installation" && grant.expiresAt <= nowMs) return null;
    return grant;
  }

  /** The user a grant acts as (`<slug>[bot]` for installations). */
  actorOf(grant: TokenGrant): User {
    return grant.kind === "installation" ? grant.installation.app.botUser : grant.user;
  }

  // ---------------------------------------------------------------- repositories

  /** Create a repository with one initial commit on its default branch. */
  createRepo(options: {
    owner: string;
    name: string;
    defaultBranch?: string;
    visibility?: Repo["visibility"];
    allowAutoMerge?: boolean;
    files?: Record<string, string>;
    ownerType?: User["type"];
  }): Repo {
    const owner = this.ensureUser(options.owner, options.ownerType ?? "Organization");
    const key = `${options.owner}/${options.name}`.toLowerCase();
    if (this.repos.has(key)) throw unprocessable("Repository creation failed: name already exists on this account");
    const repo: Repo = {
      ...this.newIds("Repository"),
      owner,
      name: options.name,
      fullName: `${options.owner}/${options.name}`,
      defaultBranch: options.defaultBranch ?? "main",
      visibility: options.visibility ?? "private",
      allowAutoMerge: options.allowAutoMerge ?? true,
      createdAt: this.clock.now(),
      collaborators: new Map(),
      commits: new Map(),
      branches: new Map(),
      protections: new Map(),
      labels: new Map(),
      issues: new Map(),
      pulls: new Map(),
      nextNumber: 1,
      checkRuns: [],
      checkSuites: [],
      workflows: new Map(),
      runs: new Map(),
      nextRunNumber: 1,
    };
    this.repos.set(key, repo);
    this.register({ type: "Repository", ref: repo });
    const files = new Map(Object.entries(options.files ?? { "README.md": `# ${options.name}\n` }));
    const commit = this.writeCommit(repo, [], files, "Initial commit", null);
    repo.branches.set(repo.defaultBranch, commit.sha);
    this.syncWorkflows(repo);
    return repo;
  }

  getRepo(owner: string, name: string): Repo | null {
    return this.repos.get(`${owner}/${name}`.toLowerCase()) ?? null;
  }

  /** The repository or a 404, as GitHub answers for repos you cannot see. */
  requireRepo(owner: string, name: string): Repo {
    const repo = this.getRepo(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  setCollaborator(repo: Repo, login: string, permission: Permission): User {
    const user = this.ensureUser(login);
    repo.collaborators.set(user.login.toLowerCase(), permission);
    return user;
  }

  /** A user's effective permission: owner → admin, collaborators as set, everyone else "none". */
  permissionOf(repo: Repo, login: string): Permission | "none" {
    if (repo.owner.login.toLowerCase() === login.toLowerCase()) return "admin";
    return repo.collaborators.get(login.toLowerCase()) ?? (repo.visibility === "public" ? "read" : "none");
  }

  /** True when `login` has at least `needed` on the repository. */
  hasPermission(repo: Repo, login: string, needed: Permission): boolean {
    return PERMISSION_RANK[this.permissionOf(repo, login)] >= PERMISSION_RANK[needed];
  }

  setBranchProtection(repo: Repo, branch: string, protection: BranchProtection | null): void {
    if (!repo.branches.has(branch)) throw new GitHubApiError(404, "Branch not found");
    if (protection) repo.protections.set(branch, protection);
    else repo.protections.delete(branch);
  }

  // ---------------------------------------------------------------- labels

  /** Create a repository label; 422 `already_exists` when the name is taken (case-insensitive). */
  createLabel(repo: Repo, spec: { name: string; color?: string; description?: string | null }): Label {
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
  ensureLabel(repo: Repo, name: string): Label {
    return repo.labels.get(name.toLowerCase()) ?? this.createLabel(repo, { name });
  }

  updateLabel(repo: Repo, name: string, patch: { newName?: string; color?: string; description?: string | null }): Label {
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

  // ---------------------------------------------------------------- issues

  getIssue(repo: Repo, number: number): Issue {
    const issue = repo.issues.get(number);
    if (!issue) throw notFound();
    return issue;
  }

  /** Find an issue by its database id anywhere (sub-issue and blocked-by take ids). */
  getIssueById(id: number): Issue | null {
    for (const repo of this.repos.values()) {
      for (const issue of repo.issues.values()) if (issue.id === id) return issue;
    }
    return null;
  }

  /** Open an issue; emits `issues.opened` then `issues.labeled`/`assigned` for what it was created with. */
  createIssue(repo: Repo, input: { title: string; body?: string | null; labels?: string[]; assignees?: string[]; user: User }): Issue {
    if (!input.title || !input.title.trim()) throw validationFailed("title is missing", "Issue", "title", "missing_field");
    const issue = this.newIssue(repo, input.title, input.body ?? "", input.user);
    issue.labels = uniqueLabels((input.labels ?? []).map((name) => this.ensureLabel(repo, name)));
    issue.assignees = this.assignable(repo, input.assignees ?? []);
    this.emit("issues", "opened", repo, input.user, { issue });
    for (const label of issue.labels) this.emit("issues", "labeled", repo, input.user, { issue, label });
    for (const assignee of issue.assignees) this.emit("issues", "assigned", repo, input.user, { issue, assignee });
    return issue;
  }

  private newIssue(repo: Repo, title: string, body: string, user: User): Issue {
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
    };
    repo.issues.set(issue.number, issue);
    this.register({ type: "Issue", ref: issue });
    return issue;
  }

  private assignable(repo: Repo, logins: string[]): User[] {
    // GitHub silently drops assignees who cannot be assigned; collaborators (and the owner) can be.
    return logins
      .filter((login) => this.hasPermission(repo, login, "triage"))
      .map((login) => this.ensureUser(login))
      .filter((user, index, all) => all.indexOf(user) === index)
      .slice(0, 10);
  }

  /** PATCH semantics: only given fields change; each change emits its own event, as on GitHub. */
  updateIssue(
    repo: Repo,
    issue: Issue,
    patch: { title?: string; body?: string | null; state?: "open" | "closed"; stateReason?: IssueStateReason; labels?: string[]; assignees?: string[] },
    sender: User,
  ): Issue {
    const changes: Record<string, { from: string }> = {};
    if (patch.title !== undefined && patch.title !== issue.title) {
      changes.title = { from: issue.title };
      issue.title = patch.title;
    }
    if (patch.body !== undefined && (patch.body ?? "") !== issue.body) {
      changes.body = { from: issue.body };
      issue.body = patch.body ?? "";
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
  closeIssue(repo: Repo, issue: Issue, reason: IssueStateReason, sender: User): void {
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

  reopenIssue(repo: Repo, issue: Issue, sender: User): void {
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
  addLabels(repo: Repo, issue: Issue, names: string[], sender: User): Label[] {
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
  setLabels(repo: Repo, issue: Issue, names: string[], sender: User): Label[] {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    for (const label of [...issue.labels]) if (!wanted.has(label.name.toLowerCase())) this.removeLabel(repo, issue, label.name, sender);
    return this.addLabels(repo, issue, names, sender);
  }

  /** Remove one label; 404 "Label does not exist" when the issue does not have it. */
  removeLabel(repo: Repo, issue: Issue, name: string, sender: User): Label[] {
    const label = issue.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (!label) throw new GitHubApiError(404, "Label does not exist");
    issue.labels = issue.labels.filter((l) => l !== label);
    issue.updatedAt = this.clock.now();
    this.emit(issue.pull ? "pull_request" : "issues", "unlabeled", repo, sender, { issue, pull: issue.pull ?? undefined, label });
    return issue.labels;
  }

  addAssignees(repo: Repo, issue: Issue, logins: string[], sender: User): void {
    for (const user of this.assignable(repo, logins)) {
      if (issue.assignees.includes(user)) continue;
      issue.assignees.push(user);
      this.emit(issue.pull ? "pull_request" : "issues", "assigned", repo, sender, { issue, pull: issue.pull ?? undefined, assignee: user });
    }
  }

  removeAssignees(repo: Repo, issue: Issue, logins: string[], sender: User): void {
    const drop = new Set(logins.map((l) => l.toLowerCase()));
    for (const user of [...issue.assignees]) {
      if (!drop.has(user.login.toLowerCase())) continue;
      issue.assignees = issue.assignees.filter((u) => u !== user);
      this.emit(issue.pull ? "pull_request" : "issues", "unassigned", repo, sender, { issue, pull: issue.pull ?? undefined, assignee: user });
    }
  }

  private setAssignees(repo: Repo, issue: Issue, logins: string[], sender: User): void {
    const keep = new Set(logins.map((l) => l.toLowerCase()));
    this.removeAssignees(repo, issue, issue.assignees.filter((u) => !keep.has(u.login.toLowerCase())).map((u) => u.login), sender);
    this.addAssignees(repo, issue, logins, sender);
  }

  // ---------------------------------------------------------------- comments

  /** Comment on an issue or PR; emits `issue_comment.created`. */
  createComment(repo: Repo, issue: Issue, body: string, user: User, viaApp: App | null = null): Comment {
    if (!body) throw validationFailed("body is missing", "IssueComment", "body", "missing_field");
    const now = this.clock.now();
    const comment: Comment = { ...this.newIds("IssueComment"), issueNumber: issue.number, user, body, createdAt: now, updatedAt: now, viaApp };
    issue.comments.push(comment);
    issue.updatedAt = now;
    this.register({ type: "IssueComment", ref: comment });
    this.emit("issue_comment", "created", repo, user, { issue, comment });
    return comment;
  }

  /** A comment by id within a repository, with its issue. */
  findComment(repo: Repo, id: number): { issue: Issue; comment: Comment } | null {
    for (const issue of repo.issues.values()) {
      const comment = issue.comments.find((c) => c.id === id);
      if (comment) return { issue, comment };
    }
    return null;
  }

  /** Edit a comment; emits `issue_comment.edited` with `changes.body.from` when the text changed. */
  updateComment(repo: Repo, id: number, body: string, sender: User): Comment {
    const found = this.findComment(repo, id);
    if (!found) throw notFound();
    const { issue, comment } = found;
    if (comment.body === body) return comment;
    const from = comment.body;
    comment.body = body;
    comment.updatedAt = this.clock.now();
    this.emit("issue_comment", "edited", repo, sender, { issue, comment, changes: { body: { from } } });
    return comment;
  }

  deleteComment(repo: Repo, id: number, sender: User): void {
    const found = this.findComment(repo, id);
    if (!found) throw notFound();
    found.issue.comments = found.issue.comments.filter((c) => c !== found.comment);
    this.emit("issue_comment", "deleted", repo, sender, { issue: found.issue, comment: found.comment });
  }

  // ---------------------------------------------------------------- sub-issues and dependencies

  /**
   * Link `child` under `parent`. GitHub's rules: same owner, not a PR, one parent (unless
   * replaceParent), at most 100 children, at most 8 levels, no cycles.
   * Emits `sub_issues.sub_issue_added` (on the parent) and `parent_issue_added` (on the child).
   */
  addSubIssue(repo: Repo, parent: Issue, child: Issue, options: { replaceParent?: boolean }, sender: User): void {
    if (child.pull || parent.pull) throw validationFailed("Pull requests cannot be sub-issues", "Issue", "sub_issue_id", "invalid");
    if (child.repo.owner !== parent.repo.owner) throw validationFailed("Sub-issue must belong to the same owner", "Issue", "sub_issue_id", "invalid");
    if (child === parent) throw validationFailed("An issue cannot be a sub-issue of itself", "Issue", "sub_issue_id", "invalid");
    if (parent.subIssues.includes(child)) throw validationFailed("Issue may not contain duplicate sub-issues", "Issue", "sub_issue_id", "invalid");
    if (child.parent && !options.replaceParent) throw validationFailed("Sub issue may only have one parent", "Issue", "sub_issue_id", "invalid");
    if (parent.subIssues.length >= LIMITS.subIssuesPerParent) {
      throw validationFailed(`Parent cannot have more than ${LIMITS.subIssuesPerParent} sub-issues`, "Issue", "sub_issue_id", "invalid");
    }
    for (let up: Issue | null = parent; up; up = up.parent) {
      if (up === child) throw validationFailed("Sub-issue cannot be an ancestor of its parent", "Issue", "sub_issue_id", "invalid");
    }
    // The root is level 0; up to eight levels of sub-issues may hang beneath it.
    if (depthOf(parent) + heightOf(child) > LIMITS.subIssueLevels + 1) {
      throw validationFailed(`Sub-issues cannot be nested more than ${LIMITS.subIssueLevels} levels`, "Issue", "sub_issue_id", "invalid");
    }
    if (child.parent) this.removeSubIssue(child.parent.repo, child.parent, child, sender);
    parent.subIssues.push(child);
    child.parent = parent;
    parent.updatedAt = child.updatedAt = this.clock.now();
    this.emit("sub_issues", "sub_issue_added", repo, sender, { parentIssue: parent, subIssue: child });
    this.emit("sub_issues", "parent_issue_added", child.repo, sender, { parentIssue: parent, subIssue: child });
  }

  removeSubIssue(repo: Repo, parent: Issue, child: Issue, sender: User): void {
    if (child.parent !== parent) throw notFound();
    parent.subIssues = parent.subIssues.filter((i) => i !== child);
    child.parent = null;
    this.emit("sub_issues", "sub_issue_removed", repo, sender, { parentIssue: parent, subIssue: child });
    this.emit("sub_issues", "parent_issue_removed", child.repo, sender, { parentIssue: parent, subIssue: child });
  }

  /** Record "`blocked` is blocked by `blocker`" (max 50 per issue). Emits `issue_dependencies.blocked_by_added`. */
  addBlockedBy(repo: Repo, blocked: Issue, blocker: Issue, sender: User): void {
    if (blocked === blocker) throw validationFailed("An issue cannot block itself", "IssueDependency", "issue_id", "invalid");
    if (blocked.repo.owner !== blocker.repo.owner) throw validationFailed("Dependencies must belong to the same owner", "IssueDependency", "issue_id", "invalid");
    if (blocked.blockedBy.includes(blocker)) throw validationFailed("Issue dependency already exists", "IssueDependency", "issue_id", "already_exists");
    if (blocked.blockedBy.length >= LIMITS.blockedByPerIssue || blocker.blocking.length >= LIMITS.blockedByPerIssue) {
      throw validationFailed(`An issue cannot have more than ${LIMITS.blockedByPerIssue} dependencies of one type`, "IssueDependency", "issue_id", "invalid");
    }
    blocked.blockedBy.push(blocker);
    blocker.blocking.push(blocked);
    blocked.updatedAt = this.clock.now();
    this.emit("issue_dependencies", "blocked_by_added", repo, sender, { blockedIssue: blocked, blockingIssue: blocker });
  }

  removeBlockedBy(repo: Repo, blocked: Issue, blocker: Issue, sender: User): void {
    if (!blocked.blockedBy.includes(blocker)) throw notFound();
    blocked.blockedBy = blocked.blockedBy.filter((i) => i !== blocker);
    blocker.blocking = blocker.blocking.filter((i) => i !== blocked);
    this.emit("issue_dependencies", "blocked_by_removed", repo, sender, { blockedIssue: blocked, blockingIssue: blocker });
  }

  // ---------------------------------------------------------------- git

  getCommit(repo: Repo, sha: string): Commit | null {
    return repo.commits.get(sha) ?? null;
  }

  /** A branch name, `heads/x`, `refs/heads/x` or a sha → sha; null when unknown. */
  resolveRef(repo: Repo, ref: string): string | null {
    const branch = ref.replace(/^refs\//, "").replace(/^heads\//, "");
    const fromBranch = repo.branches.get(branch);
    if (fromBranch) return fromBranch;
    if (/^[0-9a-f]{40}$/.test(ref) && repo.commits.has(ref)) return ref;
    return null;
  }

  /** A file's content at a ref (default branch when omitted); null when absent. */
  readFile(repo: Repo, path: string, ref?: string): string | null {
    const sha = this.resolveRef(repo, ref ?? repo.defaultBranch);
    if (!sha) return null;
    return repo.commits.get(sha)?.files.get(path.replace(/^\/+/, "")) ?? null;
  }

  private writeCommit(repo: Repo, parents: string[], files: Map<string, string>, message: string, committer: User | null): Commit {
    const now = this.clock.now();
    const sha = commitSha({ parents, message, files, time: now, salt: this.shaSalt++ });
    const author = committer ?? this.ensureUser("sandbox-bot", "Bot");
    const commit: Commit = {
      sha,
      nodeId: this.ids.nodeId("Commit", sha),
      message,
      author: { name: author.login, email: `${author.id}+${author.login.replace(/\[bot\]$/, "-bot")}@users.noreply.github.com`, date: now },
      committer,
      parents,
      files,
    };
    repo.commits.set(sha, commit);
    this.register({ type: "Commit", ref: commit });
    return commit;
  }

  /**
   * `POST /git/refs`: create a branch. 422 "Reference already exists" when it exists, which
   * is what makes a branch usable as a lock. Emits `create`.
   */
  createRef(repo: Repo, ref: string, sha: string, sender: User): { ref: string; sha: string } {
    const match = /^refs\/heads\/(.+)$/.exec(ref);
    if (!ref.startsWith("refs/") || ref.split("/").length < 3) throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
    if (!match) throw unprocessable("Only branch refs (refs/heads/…) are supported by the sandbox");
    const branch = match[1]!;
    if (repo.branches.has(branch)) throw unprocessable("Reference already exists");
    if (!repo.commits.has(sha)) throw unprocessable("Object does not exist");
    repo.branches.set(branch, sha);
    this.emit("create", null, repo, sender, { create: { ref: branch, refType: "branch" } });
    return { ref, sha };
  }

  /** `PATCH /git/refs/heads/x`: move a branch; fast-forward only unless `force`. */
  updateRef(repo: Repo, branch: string, sha: string, force: boolean, sender: User): void {
    const before = repo.branches.get(branch);
    if (!before) throw unprocessable("Reference does not exist");
    if (!repo.commits.has(sha)) throw unprocessable("Object does not exist");
    const forced = !isAncestor(repo.commits, before, sha);
    if (forced && !force) throw unprocessable("Update is not a fast forward");
    this.moveBranch(repo, branch, before, sha, forced, sender);
  }

  /** `DELETE /git/refs/heads/x`. */
  deleteRef(repo: Repo, branch: string, sender: User): void {
    const before = repo.branches.get(branch);
    if (!before) throw unprocessable("Reference does not exist");
    repo.branches.delete(branch);
    this.emit("delete", null, repo, sender, { create: { ref: branch, refType: "branch" } });
    this.emit("push", null, repo, sender, {
      push: { ref: `refs/heads/${branch}`, before, after: "0".repeat(40), commits: [], created: false, deleted: true, forced: false },
    });
  }

  /**
   * Commit `files` (path → content, null deletes) on top of `branch` and move it; the branch
   * is created from the default branch when missing. This is how scripted agents "push".
   * Emits `create` (new branch), `push`, and `pull_request.synchronize` for open PRs from it.
   */
  pushCommit(repo: Repo, branch: string, files: Record<string, string | null>, message: string, author: User): Commit {
    const existing = repo.branches.get(branch);
    const parentSha = existing ?? repo.branches.get(repo.defaultBranch)!;
    const tree = new Map(repo.commits.get(parentSha)!.files);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    const commit = this.writeCommit(repo, [parentSha], tree, message, author);
    if (!existing) {
      repo.branches.set(branch, parentSha);
      this.emit("create", null, repo, author, { create: { ref: branch, refType: "branch" } });
    }
    this.moveBranch(repo, branch, parentSha, commit.sha, false, author);
    return commit;
  }

  private moveBranch(repo: Repo, branch: string, before: string, after: string, forced: boolean, sender: User): void {
    repo.branches.set(branch, after);
    const known = ancestors(repo.commits, before);
    const newCommits = [...ancestors(repo.commits, after)].filter((sha) => !known.has(sha)).reverse().map((sha) => repo.commits.get(sha)!);
    this.emit("push", null, repo, sender, {
      push: { ref: `refs/heads/${branch}`, before, after, commits: newCommits, created: false, deleted: false, forced },
    });
    if (branch === repo.defaultBranch) this.syncWorkflows(repo);
    for (const pull of repo.pulls.values()) {
      if (pull.headRef !== branch || pull.issue.state !== "open" || pull.headSha === after) continue;
      pull.headSha = after;
      pull.baseSha = repo.branches.get(pull.baseRef) ?? pull.baseSha;
      pull.issue.updatedAt = this.clock.now();
      this.emit("pull_request", "synchronize", repo, sender, { pull, issue: pull.issue });
      this.dismissStaleApprovals(repo, pull);
    }
  }

  /**
   * `POST /merges`: merge `head` into branch `base`. Returns the merge commit, or null when
   * there is nothing to merge (204). 409 "Merge conflict" on conflicting changes.
   */
  mergeBranches(repo: Repo, base: string, head: string, message: string | null, sender: User): Commit | null {
    const baseSha = repo.branches.get(base);
    const headSha = this.resolveRef(repo, head);
    if (!baseSha) throw new GitHubApiError(404, "Base does not exist");
    if (!headSha) throw new GitHubApiError(404, "Head does not exist");
    if (isAncestor(repo.commits, headSha, baseSha)) return null;
    const merged = this.threeWay(repo, baseSha, headSha);
    if (!merged.ok) throw new GitHubApiError(409, "Merge conflict");
    const commit = this.writeCommit(repo, [baseSha, headSha], merged.files, message ?? `Merge ${head} into ${base}`, sender);
    this.moveBranch(repo, base, baseSha, commit.sha, false, sender);
    return commit;
  }

  private threeWay(repo: Repo, ours: string, theirs: string): ReturnType<typeof mergeTrees> {
    const baseSha = mergeBase(repo.commits, ours, theirs);
    const base = baseSha ? repo.commits.get(baseSha)!.files : new Map<string, string>();
    return mergeTrees(base, repo.commits.get(ours)!.files, repo.commits.get(theirs)!.files);
  }

  // ---------------------------------------------------------------- pull requests

  getPull(repo: Repo, number: number): PullRequest {
    const pull = repo.pulls.get(number);
    if (!pull) throw notFound();
    return pull;
  }

  /**
   * Open a PR from branch `head` (may be `owner:branch`) into `base`. 422 when an open PR for
   * the same head and base exists, or when there are no commits between them.
   * Emits `pull_request.opened`.
   */
  openPull(repo: Repo, input: { title: string; body?: string | null; head: string; base: string; draft?: boolean; user: User }): PullRequest {
    const headRef = input.head.includes(":") ? input.head.split(":")[1]! : input.head;
    const headSha = repo.branches.get(headRef);
    const baseSha = repo.branches.get(input.base);
    if (!headSha) throw validationFailed("Validation Failed", "PullRequest", "head", "invalid");
    if (!baseSha) throw validationFailed("Validation Failed", "PullRequest", "base", "invalid");
    for (const other of repo.pulls.values()) {
      if (other.headRef === headRef && other.baseRef === input.base && other.issue.state === "open") {
        throw validationFailed(`A pull request already exists for ${repo.owner.login}:${headRef}.`, "PullRequest", "", "custom");
      }
    }
    if (isAncestor(repo.commits, headSha, baseSha)) {
      throw validationFailed(`No commits between ${input.base} and ${headRef}`, "PullRequest", "", "custom");
    }
    const issue = this.newIssue(repo, input.title, input.body ?? "", input.user);
    const pull: PullRequest = {
      ...this.newIds("PullRequest"),
      issue,
      headRef,
      headSha,
      baseRef: input.base,
      baseSha,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      reviews: [],
      autoMerge: null,
    };
    issue.pull = pull;
    repo.pulls.set(issue.number, pull);
    this.register({ type: "PullRequest", ref: pull });
    this.emit("pull_request", "opened", repo, input.user, { pull, issue });
    return pull;
  }

  /** Open PRs whose head is `branch`. */
  pullsForBranch(repo: Repo, branch: string): PullRequest[] {
    return [...repo.pulls.values()].filter((p) => p.headRef === branch);
  }

  /**
   * Everything that stands between a PR and a merge: conflicts, required checks on the head
   * (latest run per name must be success/neutral/skipped), strict up-to-date, approvals.
   */
  mergeCheck(repo: Repo, pull: PullRequest): MergeCheck {
    const merged = this.threeWay(repo, repo.branches.get(pull.baseRef) ?? pull.baseSha, pull.headSha);
    const conflicts = merged.ok ? [] : merged.conflicts;
    const blockers: string[] = [];
    let behind = false;
    let failingChecks = false;
    const protection = repo.protections.get(pull.baseRef);
    if (protection?.requiredStatusChecks) {
      const latest = this.latestCheckRunsFor(repo, pull.headSha);
      const missing = protection.requiredStatusChecks.contexts.filter((context) => {
        const run = latest.find((r) => r.name === context);
        const passed = run?.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? "");
        if (run?.status === "completed" && !passed) failingChecks = true;
        return !passed;
      });
      if (missing.length === 1) blockers.push(`Required status check "${missing[0]}" is expected.`);
      else if (missing.length > 1) {
        blockers.push(`${missing.length} of ${protection.requiredStatusChecks.contexts.length} required status checks are expected.`);
      }
      const baseTip = repo.branches.get(pull.baseRef);
      if (protection.requiredStatusChecks.strict && baseTip && !isAncestor(repo.commits, baseTip, pull.headSha)) {
        behind = true;
        blockers.push("Head branch is not up to date with the base branch.");
      }
    }
    if (protection?.requiredPullRequestReviews) {
      const rules = protection.requiredPullRequestReviews;
      const { approvals, changesRequested } = this.reviewDecisionInputs(repo, pull);
      if (changesRequested > 0) blockers.push("Changes must be made before merging.");
      else if (approvals < rules.requiredApprovingReviewCount) {
        const n = rules.requiredApprovingReviewCount;
        blockers.push(`At least ${n} approving review${n === 1 ? " is" : "s are"} required by reviewers with write access.`);
      }
    }
    const mergeableState: MergeCheck["mergeableState"] = pull.draft
      ? "draft"
      : conflicts.length > 0
        ? "dirty"
        : behind
          ? "behind"
          : blockers.length > 0
            ? "blocked"
            : failingChecks || this.latestCheckRunsFor(repo, pull.headSha).some((r) => r.conclusion === "failure")
              ? "unstable"
              : "clean";
    return { conflicts, blockers, mergeableState };
  }

  /**
   * Counts GitHub's way: per reviewer with write access (not the author), their latest
   * APPROVED or CHANGES_REQUESTED review; dismissed reviews and comments do not count.
   */
  reviewDecisionInputs(repo: Repo, pull: PullRequest): { approvals: number; changesRequested: number; approvers: string[] } {
    const latest = new Map<string, ReviewState>();
    for (const review of pull.reviews) {
      if (review.state === "COMMENTED" || review.state === "PENDING") continue;
      if (review.user === pull.issue.user) continue;
      if (!this.hasPermission(repo, review.user.login, "write")) continue;
      latest.set(review.user.login, review.state);
    }
    const approvers = [...latest].filter(([, s]) => s === "APPROVED").map(([login]) => login);
    const changesRequested = [...latest.values()].filter((s) => s === "CHANGES_REQUESTED").length;
    return { approvals: approvers.length, changesRequested, approvers };
  }

  /**
   * `PUT /pulls/{n}/merge`. 405 when closed, conflicting or blocked by protection; 409 when
   * `sha` is not the head. Merging into the default branch closes issues the PR body names
   * with a closing keyword (state_reason completed). Emits `push`, `pull_request.closed`
   * (merged) and `issues.closed` for each closed issue.
   */
  mergePull(
    repo: Repo,
    pull: PullRequest,
    options: { sha?: string; method?: "merge" | "squash" | "rebase"; commitTitle?: string; commitMessage?: string },
    sender: User,
  ): { sha: string; merged: true; message: string } {
    if (pull.merged || pull.issue.state !== "open") throw new GitHubApiError(405, "Pull Request is not mergeable");
    if (options.sha && options.sha !== pull.headSha) throw new GitHubApiError(409, "Head branch was modified. Review and try the merge again.");
    if (pull.draft) throw new GitHubApiError(405, "Pull Request is still a draft");
    const check = this.mergeCheck(repo, pull);
    if (check.conflicts.length > 0) throw new GitHubApiError(405, "Pull Request is not mergeable");
    if (check.blockers.length > 0) throw new GitHubApiError(405, `Repository rule violations found\n\n${check.blockers.join("\n")}`);
    const baseSha = repo.branches.get(pull.baseRef)!;
    const merged = this.threeWay(repo, baseSha, pull.headSha);
    if (!merged.ok) throw new GitHubApiError(405, "Pull Request is not mergeable");
    const method = options.method ?? "merge";
    const title = options.commitTitle ?? (method === "squash" ? `${pull.issue.title} (#${pull.issue.number})` : `Merge pull request #${pull.issue.number} from ${repo.owner.login}/${pull.headRef}`);
    const parents = method === "merge" ? [baseSha, pull.headSha] : [baseSha];
    const commit = this.writeCommit(repo, parents, merged.files, options.commitMessage ? `${title}\n\n${options.commitMessage}` : title, sender);
    const now = this.clock.now();
    pull.merged = true;
    pull.mergedAt = now;
    pull.mergedBy = sender;
    pull.mergeCommitSha = commit.sha;
    pull.issue.state = "closed";
    pull.issue.closedAt = now;
    pull.issue.closedBy = sender;
    pull.issue.updatedAt = now;
    this.moveBranch(repo, pull.baseRef, baseSha, commit.sha, false, sender);
    this.emit("pull_request", "closed", repo, sender, { pull, issue: pull.issue });
    if (pull.baseRef === repo.defaultBranch) {
      for (const number of closingReferences(pull.issue.body)) {
        const target = repo.issues.get(number);
        if (target && !target.pull && target.state === "open") this.closeIssue(repo, target, "completed", sender);
      }
    }
    return { sha: commit.sha, merged: true, message: "Pull Request successfully merged" };
  }

  /**
   * Submit a review on the head (or given) commit. Authors cannot approve or request changes
   * on their own PR (422). Emits `pull_request_review.submitted`.
   */
  submitReview(
    repo: Repo,
    pull: PullRequest,
    input: { user: User; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; body?: string; commitId?: string },
  ): Review {
    if (pull.issue.state !== "open") throw unprocessable("Can not review a closed pull request");
    if (input.user === pull.issue.user && input.event !== "COMMENT") {
      throw unprocessable(input.event === "APPROVE" ? "Can not approve your own pull request" : "Can not request changes on your own pull request");
    }
    if ((input.event === "REQUEST_CHANGES" || input.event === "COMMENT") && !input.body) {
      throw unprocessable(`Unprocessable Entity: "Body is required for ${input.event === "COMMENT" ? "comment" : "request changes"} reviews"`);
    }
    const state: ReviewState = input.event === "APPROVE" ? "APPROVED" : input.event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : "COMMENTED";
    const review: Review = {
      ...this.newIds("PullRequestReview"),
      user: input.user,
      body: input.body ?? "",
      state,
      commitId: input.commitId ?? pull.headSha,
      submittedAt: this.clock.now(),
    };
    pull.reviews.push(review);
    this.register({ type: "PullRequestReview", ref: review });
    this.emit("pull_request_review", "submitted", repo, input.user, { pull, issue: pull.issue, review });
    return review;
  }

  /** Dismiss a review (state DISMISSED); emits `pull_request_review.dismissed`. */
  dismissReview(repo: Repo, pull: PullRequest, review: Review, sender: User): void {
    if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") throw unprocessable("Can not dismiss a commented pull request review");
    review.state = "DISMISSED";
    this.emit("pull_request_review", "dismissed", repo, sender, { pull, issue: pull.issue, review });
  }

  private dismissStaleApprovals(repo: Repo, pull: PullRequest): void {
    if (!repo.protections.get(pull.baseRef)?.requiredPullRequestReviews?.dismissStaleReviews) return;
    for (const review of pull.reviews) {
      if (review.state === "APPROVED" && review.commitId !== pull.headSha) {
        review.state = "DISMISSED";
        this.emit("pull_request_review", "dismissed", repo, this.ensureUser("github-actions[bot]", "Bot"), { pull, issue: pull.issue, review });
      }
    }
  }

  // ---------------------------------------------------------------- checks

  /** All check runs on a commit, newest first (as `GET /commits/{ref}/check-runs?filter=all`). */
  checkRunsFor(repo: Repo, sha: string): CheckRun[] {
    return repo.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id);
  }

  /** The latest run per (app, name) on a commit: what GitHub's default `filter=latest` and protection use. */
  latestCheckRunsFor(repo: Repo, sha: string): CheckRun[] {
    const seen = new Set<string>();
    return this.checkRunsFor(repo, sha).filter((run) => {
      const key = `${run.app.id}/${run.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Create a check run (and its suite on first run per app and commit). Emits `check_run.created`. */
  createCheckRun(
    repo: Repo,
    app: App,
    input: {
      name: string;
      headSha: string;
      status?: CheckStatus;
      conclusion?: CheckConclusion;
      output?: { title?: string | null; summary?: string | null; text?: string | null };
      externalId?: string | null;
      detailsUrl?: string | null;
    },
  ): CheckRun {
    if (!input.name) throw validationFailed("name is missing", "CheckRun", "name", "missing_field");
    if (!repo.commits.has(input.headSha)) throw validationFailed("No commit found for SHA: " + input.headSha, "CheckRun", "head_sha", "invalid");
    const now = this.clock.now();
    let suite = repo.checkSuites.find((s) => s.app === app && s.headSha === input.headSha);
    if (!suite) {
      const headBranch = [...repo.branches].find(([, sha]) => sha === input.headSha)?.[0] ?? null;
      suite = { ...this.newIds("CheckSuite"), app, headSha: input.headSha, headBranch, status: "queued", conclusion: null, createdAt: now, updatedAt: now };
      repo.checkSuites.push(suite);
      this.register({ type: "CheckSuite", ref: suite });
    }
    const status = input.conclusion ? "completed" : (input.status ?? "queued");
    const run: CheckRun = {
      ...this.newIds("CheckRun"),
      name: input.name,
      headSha: input.headSha,
      status,
      conclusion: status === "completed" ? (input.conclusion ?? "neutral") : null,
      startedAt: now,
      completedAt: status === "completed" ? now : null,
      output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null, text: input.output?.text ?? null },
      externalId: input.externalId ?? null,
      detailsUrl: input.detailsUrl ?? null,
      app,
      suite,
    };
    repo.checkRuns.push(run);
    this.register({ type: "CheckRun", ref: run });
    suite.status = suite.status === "completed" ? "in_progress" : suite.status;
    this.emit("check_run", "created", repo, app.botUser, { checkRun: run });
    if (run.status === "completed") this.afterCheckCompleted(repo, run);
    return run;
  }

  /** Update a check run; emits `check_run.completed` when it completes. 404 for unknown ids. */
  updateCheckRun(
    repo: Repo,
    id: number,
    patch: {
      name?: string;
      status?: CheckStatus;
      conclusion?: CheckConclusion;
      output?: { title?: string | null; summary?: string | null; text?: string | null };
      detailsUrl?: string | null;
      externalId?: string | null;
    },
    app?: App,
  ): CheckRun {
    const run = repo.checkRuns.find((r) => r.id === id);
    if (!run) throw notFound();
    if (app && run.app !== app) throw new GitHubApiError(403, "Invalid app_id `" + app.id + "` - check run can only be modified by the GitHub App that created it.");
    const wasCompleted = run.status === "completed";
    if (patch.name !== undefined) run.name = patch.name;
    if (patch.output) run.output = { title: patch.output.title ?? run.output.title, summary: patch.output.summary ?? run.output.summary, text: patch.output.text ?? run.output.text };
    if (patch.detailsUrl !== undefined) run.detailsUrl = patch.detailsUrl;
    if (patch.externalId !== undefined) run.externalId = patch.externalId;
    if (patch.conclusion) {
      run.status = "completed";
      run.conclusion = patch.conclusion;
    } else if (patch.status) {
      if (patch.status === "completed" && !run.conclusion) throw validationFailed("Conclusion is required when status is completed", "CheckRun", "conclusion", "missing_field");
      run.status = patch.status;
      if (patch.status !== "completed") run.conclusion = null;
    }
    if (run.status === "completed" && !wasCompleted) {
      run.completedAt = this.clock.now();
      this.afterCheckCompleted(repo, run);
    } else if (run.status !== "completed") {
      run.completedAt = null;
    }
    return run;
  }

  private afterCheckCompleted(repo: Repo, run: CheckRun): void {
    this.emit("check_run", "completed", repo, run.app.botUser, { checkRun: run });
    const suite = run.suite;
    const runs = repo.checkRuns.filter((r) => r.suite === suite);
    if (runs.every((r) => r.status === "completed")) {
      suite.status = "completed";
      suite.conclusion = runs.some((r) => r.conclusion === "failure" || r.conclusion === "timed_out" || r.conclusion === "cancelled")
        ? "failure"
        : "success";
      suite.updatedAt = this.clock.now();
      this.emit("check_suite", "completed", repo, run.app.botUser, { checkSuite: suite });
    }
  }

  /** Open PRs whose head is at `sha` (for `check_run.pull_requests`). */
  pullsForSha(repo: Repo, sha: string): PullRequest[] {
    return [...repo.pulls.values()].filter((p) => p.headSha === sha && p.issue.state === "open");
  }

  // ---------------------------------------------------------------- actions

  /** Register workflows for every `.github/workflows/*.yml` on the default branch (ids stay stable). */
  private syncWorkflows(repo: Repo): void {
    const sha = repo.branches.get(repo.defaultBranch);
    const files = sha ? repo.commits.get(sha)!.files : new Map<string, string>();
    for (const [path, text] of files) {
      if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) || repo.workflows.has(path)) continue;
      const parsed = parseWorkflowFile(text);
      const workflow: Workflow = { ...this.newIds("Workflow"), path, name: parsed?.name ?? path, state: "active", createdAt: this.clock.now() };
      repo.workflows.set(path, workflow);
      this.register({ type: "Workflow", ref: workflow });
    }
  }

  /** A workflow by numeric id or file name (`architect-agent.yml`). */
  findWorkflow(repo: Repo, idOrFile: string | number): Workflow | null {
    for (const workflow of repo.workflows.values()) {
      if (String(workflow.id) === String(idOrFile) || workflow.path.endsWith(`/${idOrFile}`)) return workflow;
    }
    return null;
  }

  /**
   * `workflow_dispatch`: 404 when the workflow file is not on the default branch or `ref`,
   * 422 when it has no `workflow_dispatch` trigger, gets more than 25 inputs, unknown
   * inputs or misses required ones. Creates a queued run whose `display_title` is the
   * rendered `run-name`, and emits `workflow_run.requested` — unless `dropRun` (a fault
   * standing in for a lost dispatch), in which case it returns null and nothing happens.
   */
  dispatchWorkflow(
    repo: Repo,
    idOrFile: string | number,
    ref: string,
    inputs: Record<string, unknown>,
    sender: User,
    options: { dropRun?: boolean } = {},
  ): WorkflowRun | null {
    const workflow = this.findWorkflow(repo, idOrFile);
    if (!workflow) throw notFound();
    const branch = ref.replace(/^refs\/heads\//, "");
    const headSha = repo.branches.get(branch);
    if (!headSha) throw unprocessable(`No ref found for: ${ref}`);
    const text = repo.commits.get(headSha)!.files.get(workflow.path);
    if (text === undefined) throw notFound();
    const parsed = parseWorkflowFile(text);
    if (!parsed?.hasDispatch) throw unprocessable("Workflow does not have 'workflow_dispatch' trigger");
    const given = Object.entries(inputs ?? {});
    if (given.length > LIMITS.dispatchInputs) throw unprocessable(`you may only define up to ${LIMITS.dispatchInputs} \`inputs\` for a \`workflow_dispatch\` event`);
    const known = new Set(parsed.inputs.map((i) => i.name));
    const unexpected = given.map(([name]) => name).filter((name) => !known.has(name));
    if (unexpected.length > 0) throw unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    const values: Record<string, string> = {};
    for (const spec of parsed.inputs) {
      const value = inputs[spec.name];
      if (value === undefined || value === null || value === "") {
        if (spec.required && spec.default === null) throw unprocessable(`Required input '${spec.name}' not provided`);
        if (spec.default !== null) values[spec.name] = spec.default;
      } else values[spec.name] = String(value);
    }
    if (options.dropRun) return null;
    const now = this.clock.now();
    const name = parsed.name ?? workflow.path;
    const run: WorkflowRun = {
      ...this.newIds("WorkflowRun"),
      workflow,
      name,
      displayTitle: parsed.runName ? renderRunName(parsed.runName, values) : name,
      runNumber: repo.nextRunNumber++,
      runAttempt: 1,
      event: "workflow_dispatch",
      status: "queued",
      conclusion: null,
      headBranch: branch,
      headSha,
      actor: sender,
      inputs: values,
      createdAt: now,
      updatedAt: now,
      runStartedAt: now,
    };
    repo.runs.set(run.id, run);
    this.register({ type: "WorkflowRun", ref: run });
    this.emit("workflow_run", "requested", repo, sender, { run });
    return run;
  }

  getRun(repo: Repo, id: number): WorkflowRun {
    const run = repo.runs.get(id);
    if (!run) throw notFound();
    return run;
  }

  /** Mark a queued run in progress; emits `workflow_run.in_progress`. */
  startRun(repo: Repo, run: WorkflowRun): void {
    if (run.status !== "queued" && run.status !== "requested") return;
    run.status = "in_progress";
    run.updatedAt = run.runStartedAt = this.clock.now();
    this.emit("workflow_run", "in_progress", repo, run.actor, { run });
  }

  /** Complete a run; emits `workflow_run.completed`. No-op when already completed. */
  completeRun(repo: Repo, run: WorkflowRun, conclusion: NonNullable<WorkflowRun["conclusion"]>): void {
    if (run.status === "completed") return;
    run.status = "completed";
    run.conclusion = conclusion;
    run.updatedAt = this.clock.now();
    this.emit("workflow_run", "completed", repo, run.actor, { run });
  }

  /** `POST /actions/runs/{id}/cancel`: 409 when the run already completed. */
  cancelRun(repo: Repo, run: WorkflowRun): void {
    if (run.status === "completed") throw new GitHubApiError(409, "Cannot cancel a workflow run that is completed.");
    this.completeRun(repo, run, "cancelled");
  }
}

/** Issue numbers a PR body closes with GitHub's keywords (`Closes #3`, `fixes: #4`). */
export function closingReferences(body: string): number[] {
  const numbers: number[] = [];
  for (const match of body.matchAll(CLOSING_KEYWORDS)) {
    const n = Number(match[1]);
    if (!numbers.includes(n)) numbers.push(n);
  }
  return numbers;
}

function uniqueLabels(labels: Label[]): Label[] {
  return labels.filter((label, index) => labels.indexOf(label) === index);
}

/** 1 for a root issue, 2 for its sub-issue, … */
function depthOf(issue: Issue): number {
  let depth = 1;
  for (let up = issue.parent; up; up = up.parent) depth++;
  return depth;
}

/** 1 for a leaf, 1 + the tallest child otherwise. */
function heightOf(issue: Issue): number {
  return 1 + Math.max(0, ...issue.subIssues.map(heightOf));
}
