import { GitHubApiError, unprocessable } from "./errors.js";
import { ancestors, commitSha, isAncestor, mergeBase, mergeTrees } from "./git.js";
import type { Commit, Repo, User } from "./model.js";
import type { World } from "./state.js";

/** Commits, branches (refs), pushes and branch merges. Mixed into `World`. */
export class GitRefsModel {
  getCommit(this: World, repo: Repo, sha: string): Commit | null {
    return repo.commits.get(sha) ?? null;
  }

  /** A branch name, `heads/x`, `refs/heads/x` or a sha → sha; null when unknown. */
  resolveRef(this: World, repo: Repo, ref: string): string | null {
    const branch = ref.replace(/^refs\//, "").replace(/^heads\//, "");
    const fromBranch = repo.branches.get(branch);
    if (fromBranch) return fromBranch;
    if (/^[0-9a-f]{40}$/.test(ref) && repo.commits.has(ref)) return ref;
    return null;
  }

  /** A file's content at a ref (default branch when omitted); null when absent. */
  readFile(this: World, repo: Repo, path: string, ref?: string): string | null {
    const sha = this.resolveRef(repo, ref ?? repo.defaultBranch);
    if (!sha) return null;
    return repo.commits.get(sha)?.files.get(path.replace(/^\/+/, "")) ?? null;
  }

  writeCommit(this: World, repo: Repo, parents: string[], files: Map<string, string>, message: string, committer: User | null): Commit {
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
  createRef(this: World, repo: Repo, ref: string, sha: string, sender: User): { ref: string; sha: string } {
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
  updateRef(this: World, repo: Repo, branch: string, sha: string, force: boolean, sender: User): void {
    const before = repo.branches.get(branch);
    if (!before) throw unprocessable("Reference does not exist");
    if (!repo.commits.has(sha)) throw unprocessable("Object does not exist");
    const forced = !isAncestor(repo.commits, before, sha);
    if (forced && !force) throw unprocessable("Update is not a fast forward");
    this.moveBranch(repo, branch, before, sha, forced, sender);
  }

  /** `DELETE /git/refs/heads/x`. */
  deleteRef(this: World, repo: Repo, branch: string, sender: User): void {
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
  pushCommit(this: World, repo: Repo, branch: string, files: Record<string, string | null>, message: string, author: User): Commit {
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

  moveBranch(this: World, repo: Repo, branch: string, before: string, after: string, forced: boolean, sender: User): void {
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
    // Groups built on the old tip are stale (the queue's own merge is a no-op here).
    if (repo.mergeQueue.some((e) => e.baseRef === branch)) this.advanceMergeQueue(repo, branch);
  }

  /**
   * `POST /merges`: merge `head` into branch `base`. Returns the merge commit, or null when
   * there is nothing to merge (204). 409 "Merge conflict" on conflicting changes.
   */
  mergeBranches(this: World, repo: Repo, base: string, head: string, message: string | null, sender: User): Commit | null {
    const baseSha = repo.branches.get(base);
    const headSha = this.resolveRef(repo, head);
    if (!baseSha) throw new GitHubApiError(404, "Base does not exist");
    if (!headSha) throw new GitHubApiError(404, "Head does not exist");
    if (isAncestor(repo.commits, headSha, baseSha)) return null;
    const merged = threeWay(repo, baseSha, headSha);
    if (!merged.ok) throw new GitHubApiError(409, "Merge conflict");
    const commit = this.writeCommit(repo, [baseSha, headSha], merged.files, message ?? `Merge ${head} into ${base}`, sender);
    this.moveBranch(repo, base, baseSha, commit.sha, false, sender);
    return commit;
  }
}

/** Three-way merge of `theirs` into `ours` from their merge base. */
export function threeWay(repo: Repo, ours: string, theirs: string): ReturnType<typeof mergeTrees> {
  const baseSha = mergeBase(repo.commits, ours, theirs);
  const base = baseSha ? repo.commits.get(baseSha)!.files : new Map<string, string>();
  return mergeTrees(base, repo.commits.get(ours)!.files, repo.commits.get(theirs)!.files);
}
