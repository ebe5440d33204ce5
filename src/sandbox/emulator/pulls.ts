import { GitHubApiError, notFound, unprocessable, validationFailed } from "./errors.js";
import { threeWay } from "./git-refs.js";
import { isAncestor } from "./git.js";
import type { Commit, PullRequest, Repo, User } from "./model.js";
import type { World } from "./state.js";

const CLOSING_KEYWORDS = /\b(?:close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved)\s*:?\s+#(\d+)\b/gi;

/** Pull requests: opening and merging them. Mixed into `World`. */
export class PullsModel {
  getPull(this: World, repo: Repo, number: number): PullRequest {
    const pull = repo.pulls.get(number);
    if (!pull) throw notFound();
    return pull;
  }

  /**
   * Open a PR from branch `head` (may be `owner:branch`) into `base`. 422 when an open PR for
   * the same head and base exists, or when there are no commits between them.
   * Emits `pull_request.opened`.
   */
  openPull(this: World, repo: Repo, input: { title: string; body?: string | null; head: string; base: string; draft?: boolean; user: User }): PullRequest {
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
      queueRemovals: [],
    };
    issue.pull = pull;
    repo.pulls.set(issue.number, pull);
    this.register({ type: "PullRequest", ref: pull });
    this.emit("pull_request", "opened", repo, input.user, { pull, issue });
    return pull;
  }

  /** Open PRs whose head is `branch`. */
  pullsForBranch(this: World, repo: Repo, branch: string): PullRequest[] {
    return [...repo.pulls.values()].filter((p) => p.headRef === branch);
  }
  /**
   * `PUT /pulls/{n}/merge`. 405 when closed, conflicting or blocked by protection; 409 when
   * `sha` is not the head. Merging into the default branch closes issues the PR body names
   * with a closing keyword (state_reason completed). Emits `push`, `pull_request.closed`
   * (merged) and `issues.closed` for each closed issue.
   */
  mergePull(
    this: World,
    repo: Repo,
    pull: PullRequest,
    options: { sha?: string; method?: "merge" | "squash" | "rebase"; commitTitle?: string; commitMessage?: string },
    sender: User,
  ): { sha: string; merged: true; message: string } {
    if (pull.merged || pull.issue.state !== "open") throw new GitHubApiError(405, "Pull Request is not mergeable");
    if (options.sha && options.sha !== pull.headSha) throw new GitHubApiError(409, "Head branch was modified. Review and try the merge again.");
    if (pull.draft) throw new GitHubApiError(405, "Pull Request is still a draft");
    // A required merge queue refuses direct merges (../shared/reference/github-platform.md §11).
    if (this.branchRequirements(repo, pull.baseRef).mergeQueue) throw new GitHubApiError(405, "Changes must be made through the merge queue");
    const check = this.mergeCheck(repo, pull);
    if (check.conflicts.length > 0) throw new GitHubApiError(405, "Pull Request is not mergeable");
    if (check.blockers.length > 0) throw new GitHubApiError(405, `Repository rule violations found\n\n${check.blockers.join("\n")}`);
    const baseSha = repo.branches.get(pull.baseRef)!;
    const merged = threeWay(repo, baseSha, pull.headSha);
    if (!merged.ok) throw new GitHubApiError(405, "Pull Request is not mergeable");
    const method = options.method ?? "merge";
    const title = options.commitTitle ?? (method === "squash" ? `${pull.issue.title} (#${pull.issue.number})` : `Merge pull request #${pull.issue.number} from ${repo.owner.login}/${pull.headRef}`);
    const parents = method === "merge" ? [baseSha, pull.headSha] : [baseSha];
    const commit = this.writeCommit(repo, parents, merged.files, options.commitMessage ? `${title}\n\n${options.commitMessage}` : title, sender);
    this.recordMerge(repo, pull, baseSha, commit.sha, sender);
    return { sha: commit.sha, merged: true, message: "Pull Request successfully merged" };
  }

  /**
   * `PUT /pulls/{n}/update-branch`: merge the base branch into the PR's head branch
   * (../shared/reference/github-platform.md §4: 422 when `expected_head_sha` is not the head).
   * 422 too when the base has no new commits or the merge conflicts. Emits `push` and
   * `pull_request.synchronize` (the head moves), so checks run again.
   */
  updatePullBranch(this: World, repo: Repo, pull: PullRequest, expectedHeadSha: string | undefined, sender: User): Commit {
    if (pull.merged || pull.issue.state !== "open") throw unprocessable("Pull request is closed");
    if (expectedHeadSha && expectedHeadSha !== pull.headSha) throw unprocessable("expected head sha didn't match current head ref.");
    const baseSha = repo.branches.get(pull.baseRef);
    if (!baseSha || isAncestor(repo.commits, baseSha, pull.headSha)) throw unprocessable("There are no new commits on the base branch.");
    const merged = threeWay(repo, pull.headSha, baseSha);
    if (!merged.ok) throw unprocessable("merge conflict between base and head");
    const commit = this.writeCommit(repo, [pull.headSha, baseSha], merged.files, `Merge branch '${pull.baseRef}' into ${pull.headRef}`, sender);
    this.moveBranch(repo, pull.headRef, pull.headSha, commit.sha, false, sender);
    return commit;
  }

  /**
   * The PR is merged as `mergeSha` and its base moves there from `baseSha` (a merge commit,
   * or a merge queue's group head). Emits `push`, `pull_request.closed` and `issues.closed`
   * for the issues its body closes.
   */
  recordMerge(this: World, repo: Repo, pull: PullRequest, baseSha: string, mergeSha: string, sender: User): void {
    const now = this.clock.now();
    pull.merged = true;
    pull.mergedAt = now;
    pull.mergedBy = sender;
    pull.mergeCommitSha = mergeSha;
    pull.issue.state = "closed";
    pull.issue.closedAt = now;
    pull.issue.closedBy = sender;
    pull.issue.updatedAt = now;
    this.moveBranch(repo, pull.baseRef, baseSha, mergeSha, false, sender);
    this.emit("pull_request", "closed", repo, sender, { pull, issue: pull.issue });
    if (pull.baseRef === repo.defaultBranch) {
      for (const number of closingReferences(pull.issue.body)) {
        const target = repo.issues.get(number);
        if (target && !target.pull && target.state === "open") this.closeIssue(repo, target, "completed", sender);
      }
    }
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
