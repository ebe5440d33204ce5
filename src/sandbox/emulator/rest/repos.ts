import { GitHubApiError, notFound, unprocessable, validationFailed } from "../errors.js";
import type { BranchProtection, Repo, Ruleset } from "../model.js";
import { iso } from "../serialize.js";
import { repoOf, str, type RouteContext, type Router } from "./router.js";

/** Repository, git refs, merges, branches and protection, contents, collaborators. */
export function repoRoutes(router: Router): void {
  const base = "/repos/{owner}/{repo}";

  router.add("GET", base, (ctx) => ({ status: 200, json: ctx.ser.repo(repoOf(ctx)) }));

  // ---- rulesets (../shared/reference/github-platform.md §4): any reader may list the rules
  // that apply to a branch; creating a ruleset takes admin.
  router.add("GET", `${base}/rules/branches/{+branch}`, (ctx) => {
    const repo = repoOf(ctx);
    const rules = ctx.world.rulesForBranch(repo, ctx.params.branch!);
    const json = rules.map(({ rule, ruleset }) => ({
      type: rule.type,
      ...(rule.parameters ? { parameters: rule.parameters } : {}),
      ruleset_source_type: "Repository",
      ruleset_source: repo.fullName,
      ruleset_id: ruleset.id,
    }));
    return { status: 200, json };
  });

  router.add("GET", `${base}/rulesets`, (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: repo.rulesets.map((r) => rulesetJson(ctx, repo, r)) };
  });

  router.add("POST", `${base}/rulesets`, (ctx) => {
    const repo = repoOf(ctx);
    if (!ctx.world.hasPermission(repo, ctx.actor.login, "admin")) throw notFound();
    const conditions = (ctx.body.conditions as { ref_name?: { include?: string[]; exclude?: string[] } } | undefined)?.ref_name;
    const ruleset = ctx.world.createRuleset(repo, {
      name: str(ctx.body, "name") ?? "",
      enforcement: str(ctx.body, "enforcement") as "active" | undefined,
      include: conditions?.include,
      exclude: conditions?.exclude,
      rules: ctx.body.rules as { type: string; parameters?: Record<string, unknown> }[] | undefined,
    });
    return { status: 201, json: rulesetJson(ctx, repo, ruleset) };
  });

  // ---- git refs
  router.add("GET", `${base}/git/ref/{+ref}`, (ctx) => {
    const repo = repoOf(ctx);
    const branch = branchOfRef(ctx.params.ref!);
    const sha = repo.branches.get(branch);
    if (!sha) throw notFound();
    return { status: 200, json: ctx.ser.ref(repo, branch, sha) };
  });

  router.add("GET", `${base}/git/matching-refs/{+ref}`, (ctx) => {
    const repo = repoOf(ctx);
    const prefix = branchOfRef(ctx.params.ref!);
    const refs = [...repo.branches].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
    return { status: 200, json: refs.map(([name, sha]) => ctx.ser.ref(repo, name, sha)) };
  });

  router.add("POST", `${base}/git/refs`, (ctx) => {
    const repo = repoOf(ctx);
    const ref = str(ctx.body, "ref");
    const sha = str(ctx.body, "sha");
    if (!ref || !sha) throw unprocessable("Invalid request.\n\n\"ref\", \"sha\" weren't supplied.");
    ctx.world.createRef(repo, ref, sha, ctx.actor);
    const branch = branchOfRef(ref);
    return { status: 201, json: ctx.ser.ref(repo, branch, sha), headers: { location: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/refs/heads/${branch}` } };
  });

  router.add("PATCH", `${base}/git/refs/{+ref}`, (ctx) => {
    const repo = repoOf(ctx);
    const branch = branchOfRef(ctx.params.ref!);
    const sha = str(ctx.body, "sha");
    if (!sha) throw unprocessable("Invalid request.\n\n\"sha\" wasn't supplied.");
    ctx.world.updateRef(repo, branch, sha, ctx.body.force === true, ctx.actor);
    return { status: 200, json: ctx.ser.ref(repo, branch, sha) };
  });

  router.add("DELETE", `${base}/git/refs/{+ref}`, (ctx) => {
    ctx.world.deleteRef(repoOf(ctx), branchOfRef(ctx.params.ref!), ctx.actor);
    return { status: 204 };
  });

  router.add("GET", `${base}/git/commits/{sha}`, (ctx) => {
    const repo = repoOf(ctx);
    const commit = ctx.world.getCommit(repo, ctx.params.sha!);
    if (!commit) throw notFound();
    const person = { name: commit.author.name, email: commit.author.email, date: iso(commit.author.date) };
    return {
      status: 200,
      json: {
        sha: commit.sha,
        node_id: commit.nodeId,
        url: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/commits/${commit.sha}`,
        html_url: `${ctx.world.htmlUrl}/${repo.fullName}/commit/${commit.sha}`,
        author: person,
        committer: person,
        message: commit.message,
        tree: { sha: commit.sha, url: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/trees/${commit.sha}` },
        parents: commit.parents.map((p) => ({ sha: p, url: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/commits/${p}`, html_url: `${ctx.world.htmlUrl}/${repo.fullName}/commit/${p}` })),
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
    };
  });

  // ---- merges
  router.add("POST", `${base}/merges`, (ctx) => {
    const repo = repoOf(ctx);
    const baseBranch = str(ctx.body, "base");
    const head = str(ctx.body, "head");
    if (!baseBranch || !head) throw unprocessable("Invalid request.\n\n\"base\", \"head\" weren't supplied.");
    const commit = ctx.world.mergeBranches(repo, baseBranch, head, str(ctx.body, "commit_message") ?? null, ctx.actor);
    if (!commit) return { status: 204 };
    return { status: 201, json: commitJson(ctx, repo, commit.sha) };
  });

  // ---- branches and protection
  router.add("GET", `${base}/branches`, (ctx) => {
    const repo = repoOf(ctx);
    const json = [...repo.branches].map(([name, sha]) => ({
      name,
      commit: { sha, url: `${ctx.world.apiUrl}/repos/${repo.fullName}/commits/${sha}` },
      protected: repo.protections.has(name),
    }));
    return { status: 200, json };
  });

  router.add("GET", `${base}/branches/{+branch}`, (ctx) => {
    const repo = repoOf(ctx);
    const branch = ctx.params.branch!;
    if (branch.endsWith("/protection")) return getProtection(ctx, repo, branch.slice(0, -"/protection".length));
    const sha = repo.branches.get(branch);
    if (!sha) throw new GitHubApiError(404, "Branch not found");
    const protection = repo.protections.get(branch);
    const url = `${ctx.world.apiUrl}/repos/${repo.fullName}/branches/${branch}`;
    return {
      status: 200,
      json: {
        name: branch,
        commit: commitJson(ctx, repo, sha),
        _links: { self: url, html: `${ctx.world.htmlUrl}/${repo.fullName}/tree/${branch}` },
        protected: Boolean(protection),
        protection: {
          enabled: Boolean(protection),
          required_status_checks: {
            enforcement_level: protection?.requiredStatusChecks ? "everyone" : "off",
            contexts: protection?.requiredStatusChecks?.contexts ?? [],
            checks: (protection?.requiredStatusChecks?.contexts ?? []).map((context) => ({ context, app_id: null })),
          },
        },
        protection_url: `${url}/protection`,
      },
    };
  });

  router.add("PUT", `${base}/branches/{+branch}`, (ctx) => {
    const repo = repoOf(ctx);
    const branch = ctx.params.branch!;
    if (!branch.endsWith("/protection")) throw notFound();
    const name = branch.slice(0, -"/protection".length);
    if (!ctx.world.hasPermission(repo, ctx.actor.login, "admin") && ctx.grant?.kind !== "installation") throw notFound();
    for (const key of ["required_status_checks", "enforce_admins", "required_pull_request_reviews", "restrictions"]) {
      if (!(key in ctx.body)) throw validationFailed(`Invalid request.\n\n"${key}" wasn't supplied.`, "Protection", key, "missing_field");
    }
    ctx.world.setBranchProtection(repo, name, protectionFromBody(ctx.body));
    return getProtection(ctx, repo, name);
  });

  router.add("DELETE", `${base}/branches/{+branch}`, (ctx) => {
    const repo = repoOf(ctx);
    const branch = ctx.params.branch!;
    if (!branch.endsWith("/protection")) throw notFound();
    ctx.world.setBranchProtection(repo, branch.slice(0, -"/protection".length), null);
    return { status: 204 };
  });

  // ---- contents
  router.add("GET", `${base}/contents/{+path}`, (ctx) => {
    const repo = repoOf(ctx);
    const path = ctx.params.path!;
    const ref = ctx.query.get("ref") ?? repo.defaultBranch;
    const sha = ctx.world.resolveRef(repo, ref);
    if (!sha) throw new GitHubApiError(404, `No commit found for the ref ${ref}`);
    const files = repo.commits.get(sha)!.files;
    const content = files.get(path);
    const url = `${ctx.world.apiUrl}/repos/${repo.fullName}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    if (content === undefined) {
      const prefix = path.replace(/\/$/, "") + "/";
      const entries = new Map<string, "file" | "dir">();
      for (const file of files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length);
        entries.set(rest.split("/")[0]!, rest.includes("/") ? "dir" : "file");
      }
      if (entries.size === 0) throw notFound();
      return { status: 200, json: [...entries].map(([name, type]) => contentEntry(ctx, repo, `${prefix}${name}`, type, files.get(`${prefix}${name}`) ?? "", ref)) };
    }
    // The `application/vnd.github.raw+json` media type returns the file's bytes themselves
    // (REST docs, "Get repository content": custom media types).
    if (ctx.accept?.includes("vnd.github.raw")) return { status: 200, text: content, headers: { "content-type": "text/plain; charset=utf-8" } };
    return {
      status: 200,
      json: { ...contentEntry(ctx, repo, path, "file", content, ref), content: Buffer.from(content).toString("base64"), encoding: "base64", url },
    };
  });

  // ---- collaborators
  router.add("GET", `${base}/collaborators/{username}/permission`, (ctx) => {
    const repo = repoOf(ctx);
    const user = ctx.world.getUser(ctx.params.username!);
    if (!user) throw notFound();
    const permission = ctx.world.permissionOf(repo, user.login);
    // The legacy `permission` field folds maintain→write and triage→read; role_name keeps the role.
    const legacy = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
    return { status: 200, json: { permission: legacy, role_name: permission, user: { ...ctx.ser.user(user), permissions: permissionFlags(permission), role_name: permission } } };
  });

  router.add("GET", `${base}/collaborators`, (ctx) => {
    const repo = repoOf(ctx);
    const users = [...repo.collaborators.keys()].map((login) => ctx.world.getUser(login)!).filter(Boolean);
    return { status: 200, json: users.map((u) => ({ ...ctx.ser.user(u), role_name: ctx.world.permissionOf(repo, u.login) })) };
  });
}

function rulesetJson(ctx: RouteContext, repo: Repo, ruleset: Ruleset) {
  return {
    id: ruleset.id,
    node_id: ruleset.nodeId,
    name: ruleset.name,
    target: ruleset.target,
    source_type: "Repository",
    source: repo.fullName,
    enforcement: ruleset.enforcement,
    bypass_actors: [],
    conditions: { ref_name: { include: ruleset.include, exclude: ruleset.exclude } },
    rules: ruleset.rules,
    _links: { self: { href: `${ctx.world.apiUrl}/repos/${repo.fullName}/rulesets/${ruleset.id}` } },
  };
}

function getProtection(ctx: RouteContext, repo: Repo, branch: string) {
  if (!repo.branches.has(branch)) throw new GitHubApiError(404, "Branch not found");
  const protection = repo.protections.get(branch);
  if (!protection) throw new GitHubApiError(404, "Branch not protected");
  const url = `${ctx.world.apiUrl}/repos/${repo.fullName}/branches/${branch}/protection`;
  return {
    status: 200,
    json: {
      url,
      required_status_checks: protection.requiredStatusChecks
        ? {
            url: `${url}/required_status_checks`,
            strict: protection.requiredStatusChecks.strict,
            contexts: protection.requiredStatusChecks.contexts,
            checks: protection.requiredStatusChecks.contexts.map((context) => ({ context, app_id: null })),
            contexts_url: `${url}/required_status_checks/contexts`,
          }
        : undefined,
      required_pull_request_reviews: protection.requiredPullRequestReviews
        ? {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: protection.requiredPullRequestReviews.dismissStaleReviews,
            require_code_owner_reviews: protection.requiredPullRequestReviews.requireCodeOwnerReviews,
            required_approving_review_count: protection.requiredPullRequestReviews.requiredApprovingReviewCount,
            require_last_push_approval: protection.requiredPullRequestReviews.requireLastPushApproval,
          }
        : undefined,
      enforce_admins: { url: `${url}/enforce_admins`, enabled: protection.enforceAdmins },
    },
  };
}

function protectionFromBody(body: Record<string, unknown>): BranchProtection {
  const checks = body.required_status_checks as { strict?: boolean; contexts?: string[]; checks?: { context: string }[] } | null;
  const reviews = body.required_pull_request_reviews as {
    required_approving_review_count?: number;
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    require_last_push_approval?: boolean;
  } | null;
  const count = reviews?.required_approving_review_count ?? 1;
  if (count < 0 || count > 6) throw validationFailed("required_approving_review_count must be between 0 and 6", "Protection", "required_approving_review_count", "invalid");
  return {
    requiredStatusChecks: checks
      ? { strict: checks.strict ?? false, contexts: [...new Set([...(checks.contexts ?? []), ...(checks.checks ?? []).map((c) => c.context)])] }
      : null,
    requiredPullRequestReviews: reviews
      ? {
          requiredApprovingReviewCount: count,
          dismissStaleReviews: reviews.dismiss_stale_reviews ?? false,
          requireCodeOwnerReviews: reviews.require_code_owner_reviews ?? false,
          requireLastPushApproval: reviews.require_last_push_approval ?? false,
        }
      : null,
    enforceAdmins: body.enforce_admins === true,
  };
}

/** `refs/heads/x`, `heads/x` or `x` → `x`. */
export function branchOfRef(ref: string): string {
  return ref.replace(/^refs\//, "").replace(/^heads\//, "");
}

function commitJson(ctx: RouteContext, repo: Repo, sha: string): Record<string, unknown> {
  const commit = repo.commits.get(sha)!;
  const person = { name: commit.author.name, email: commit.author.email, date: iso(commit.author.date) };
  const user = commit.committer ? ctx.ser.user(commit.committer) : null;
  return {
    sha,
    node_id: commit.nodeId,
    url: `${ctx.world.apiUrl}/repos/${repo.fullName}/commits/${sha}`,
    html_url: `${ctx.world.htmlUrl}/${repo.fullName}/commit/${sha}`,
    comments_url: `${ctx.world.apiUrl}/repos/${repo.fullName}/commits/${sha}/comments`,
    commit: {
      url: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: commit.message,
      comment_count: 0,
      tree: { sha, url: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/trees/${sha}` },
    },
    author: user,
    committer: user,
    parents: commit.parents.map((p) => ({ sha: p, url: `${ctx.world.apiUrl}/repos/${repo.fullName}/commits/${p}` })),
  };
}

function contentEntry(ctx: RouteContext, repo: Repo, path: string, type: "file" | "dir", content: string, ref: string) {
  const url = `${ctx.world.apiUrl}/repos/${repo.fullName}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const sha = Buffer.from(`blob ${content.length}\0${content}`).toString("hex").slice(0, 40).padEnd(40, "0");
  const html = `${ctx.world.htmlUrl}/${repo.fullName}/blob/${ref}/${path}`;
  return {
    type,
    name: path.split("/").pop(),
    path,
    sha,
    size: type === "file" ? Buffer.byteLength(content) : 0,
    url,
    html_url: html,
    git_url: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/blobs/${sha}`,
    download_url: type === "file" ? html : null,
    _links: { self: url, git: `${ctx.world.apiUrl}/repos/${repo.fullName}/git/blobs/${sha}`, html },
  };
}

function permissionFlags(permission: string): Record<string, boolean> {
  const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(permission);
  return { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 };
}
