import { GitHubApiError, unprocessable } from "./errors.js";
import { threeWay } from "./git-refs.js";
import type { MergeQueueEntry, PullRequest, Repo, User } from "./model.js";
import type { World } from "./state.js";

/**
 * A branch's merge queue (../shared/reference/github-platform.md §4 "Merge queue" and §11):
 * when a ruleset requires one, direct merges answer 405 and PRs are added with GraphQL
 * `enqueuePullRequest`. Each entry gets a merge group: the base (or the group ahead of it)
 * merged with the PR's head, on a `gh-readonly-queue/<base>/pr-<n>-<sha>` branch, announced
 * by `merge_group.checks_requested`. Required checks must report on the group's head; the
 * first group whose required checks are all green is merged by moving the base to it;
 * a red required check, or a conflict while building, removes the PR from the queue
 * (`pull_request.dequeued`, `merge_group.destroyed`) and the groups behind it are rebuilt.
 * One PR per group (as with `max_entries_to_merge: 1`). Mixed into `World`.
 */
export class MergeQueueModel {
  /** `enqueuePullRequest`. Enqueuing a PR that is already queued returns its entry. */
  enqueuePull(this: World, repo: Repo, pull: PullRequest, options: { expectedHeadOid?: string }, sender: User): MergeQueueEntry {
    if (pull.merged || pull.issue.state !== "open") throw unprocessable("Pull request is closed");
    if (!this.branchRequirements(repo, pull.baseRef).mergeQueue) throw unprocessable("Merge queue is not enabled for the base branch of this pull request");
    if (options.expectedHeadOid && options.expectedHeadOid !== pull.headSha) throw unprocessable("Head branch was modified. Review and try the merge again.");
    const existing = this.mergeQueueEntryOf(repo, pull);
    if (existing) return existing;
    if (pull.draft) throw unprocessable("Pull request is still a draft");
    // The PR itself must meet the branch's rules; being behind is what the queue fixes.
    const check = this.mergeCheck(repo, pull);
    if (check.conflicts.length > 0) throw unprocessable("Pull request has merge conflicts");
    const blockers = check.blockers.filter((b) => !/not up to date/.test(b));
    if (blockers.length > 0) throw unprocessable(`Pull request is not mergeable: ${blockers.join(" ")}`);
    const entry: MergeQueueEntry = { ...this.newIds("MergeQueueEntry"), pull, baseRef: pull.baseRef, enqueuer: sender, enqueuedAt: this.clock.now(), group: null };
    repo.mergeQueue.push(entry);
    this.emit("pull_request", "enqueued", repo, sender, { pull, issue: pull.issue });
    this.advanceMergeQueue(repo, pull.baseRef);
    return entry;
  }

  /** `dequeuePullRequest` (reason `MANUAL`), or the queue itself removing a PR. 404 when it is not queued. */
  dequeuePull(this: World, repo: Repo, pull: PullRequest, reason: string, sender: User): void {
    const entry = this.mergeQueueEntryOf(repo, pull);
    if (!entry) throw new GitHubApiError(404, "Pull request is not in the merge queue");
    this.removeFromQueue(repo, entry, reason, sender);
    this.advanceMergeQueue(repo, entry.baseRef);
  }

  /** Take an entry out of the queue without merging it; records the removal on the PR. */
  removeFromQueue(this: World, repo: Repo, entry: MergeQueueEntry, reason: string, sender: User): void {
    const index = repo.mergeQueue.indexOf(entry);
    if (index === -1) return;
    repo.mergeQueue.splice(index, 1);
    destroyGroup(this, repo, entry, "dequeued", sender);
    const pull = entry.pull;
    pull.queueRemovals.push({ ...this.newIds("RemovedFromMergeQueueEvent"), at: this.clock.now(), reason, beforeCommit: pull.headSha, actor: sender });
    if (!pull.merged) this.emit("pull_request", "dequeued", repo, sender, { pull, issue: pull.issue, reason });
  }

  mergeQueueEntryOf(this: World, repo: Repo, pull: PullRequest): MergeQueueEntry | null {
    return repo.mergeQueue.find((e) => e.pull === pull) ?? null;
  }

  /** 1-based position in its branch's queue. */
  mergeQueuePosition(this: World, repo: Repo, entry: MergeQueueEntry): number {
    return repo.mergeQueue.filter((e) => e.baseRef === entry.baseRef).indexOf(entry) + 1;
  }

  /**
   * Bring a branch's queue up to date: (re)build groups whose base moved, remove entries
   * whose group failed or conflicts, and merge the head of the queue when its group is green.
   * Called after a check completes on a group head and after the base branch moves.
   */
  advanceMergeQueue(this: World, repo: Repo, baseRef: string): void {
    if (advancing.has(repo)) return;
    advancing.add(repo);
    try {
      while (stepQueue(this, repo, baseRef));
    } finally {
      advancing.delete(repo);
    }
  }
}

const advancing = new WeakSet<Repo>();

/** One change to the queue; true when something changed and the queue must be looked at again. */
function stepQueue(world: World, repo: Repo, baseRef: string): boolean {
  const rules = world.branchRequirements(repo, baseRef);
  const queueBot = world.ensureUser("github-merge-queue[bot]", "Bot");
  let previous = repo.branches.get(baseRef);
  if (!previous) return false;
  const entries = repo.mergeQueue.filter((e) => e.baseRef === baseRef);
  for (const entry of entries) {
    const pull = entry.pull;
    if (pull.merged || pull.issue.state !== "open") {
      world.removeFromQueue(repo, entry, "MANUAL", queueBot);
      return true;
    }
    if (!entry.group || entry.group.baseSha !== previous) {
      if (entry.group) destroyGroup(world, repo, entry, "invalidated", queueBot);
      const merged = threeWay(repo, previous, pull.headSha);
      if (!merged.ok) {
        world.removeFromQueue(repo, entry, "MERGE_CONFLICT", queueBot);
        return true;
      }
      const message = `Merge pull request #${pull.issue.number} from ${repo.owner.login}/${pull.headRef}`;
      const commit = world.writeCommit(repo, [previous, pull.headSha], merged.files, message, queueBot);
      const headRef = `gh-readonly-queue/${baseRef}/pr-${pull.issue.number}-${pull.headSha}`;
      repo.branches.set(headRef, commit.sha);
      entry.group = { headSha: commit.sha, headRef, baseSha: previous };
      world.emit("merge_group", "checks_requested", repo, queueBot, { mergeGroup: { entry, ...entry.group } });
    }
    if (groupChecks(world, repo, entry.group.headSha, rules.requiredChecks) === "red") {
      world.removeFromQueue(repo, entry, "CI_FAILURE", queueBot);
      return true;
    }
    previous = entry.group.headSha;
  }
  const first = entries[0];
  if (first?.group && groupChecks(world, repo, first.group.headSha, rules.requiredChecks) === "green") {
    const group = first.group;
    repo.mergeQueue.splice(repo.mergeQueue.indexOf(first), 1);
    destroyGroup(world, repo, first, "merged", queueBot);
    world.recordMerge(repo, first.pull, group.baseSha, group.headSha, queueBot);
    return true;
  }
  return false;
}

/** The required checks' verdict on a group head: latest run per name, as protection reads it. */
function groupChecks(world: World, repo: Repo, sha: string, required: readonly string[]): "green" | "red" | "pending" {
  const latest = world.latestCheckRunsFor(repo, sha);
  let pending = false;
  for (const name of required) {
    const run = latest.find((r) => r.name === name);
    if (!run || run.status !== "completed") pending = true;
    else if (!["success", "neutral", "skipped"].includes(run.conclusion ?? "")) return "red";
  }
  return pending ? "pending" : "green";
}

function destroyGroup(world: World, repo: Repo, entry: MergeQueueEntry, reason: "merged" | "invalidated" | "dequeued", sender: User): void {
  const group = entry.group;
  if (!group) return;
  entry.group = null;
  repo.branches.delete(group.headRef);
  world.emit("merge_group", "destroyed", repo, sender, { mergeGroup: { entry, ...group }, reason });
}
