import { notFound, unprocessable } from "./errors.js";
import type { Permission, Repo, User } from "./model.js";
import type { World } from "./state.js";

const PERMISSION_RANK: Record<Permission | "none", number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** Repositories and who may do what in them (owner, collaborators). Mixed into `World`. */
export class RepositoriesModel {
  /** Create a repository with one initial commit on its default branch. */
  createRepo(this: World, options: {
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
      rulesets: [],
      mergeQueue: [],
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

  getRepo(this: World, owner: string, name: string): Repo | null {
    return this.repos.get(`${owner}/${name}`.toLowerCase()) ?? null;
  }

  /** The repository or a 404, as GitHub answers for repos you cannot see. */
  requireRepo(this: World, owner: string, name: string): Repo {
    const repo = this.getRepo(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  setCollaborator(this: World, repo: Repo, login: string, permission: Permission): User {
    const user = this.ensureUser(login);
    repo.collaborators.set(user.login.toLowerCase(), permission);
    return user;
  }

  /** A user's effective permission: owner → admin, collaborators as set, everyone else "none". */
  permissionOf(this: World, repo: Repo, login: string): Permission | "none" {
    if (repo.owner.login.toLowerCase() === login.toLowerCase()) return "admin";
    return repo.collaborators.get(login.toLowerCase()) ?? (repo.visibility === "public" ? "read" : "none");
  }

  /** True when `login` has at least `needed` on the repository. */
  hasPermission(this: World, repo: Repo, login: string, needed: Permission): boolean {
    return PERMISSION_RANK[this.permissionOf(repo, login)] >= PERMISSION_RANK[needed];
  }
}
