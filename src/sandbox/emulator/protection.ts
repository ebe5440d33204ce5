import { GitHubApiError } from "./errors.js";
import { threeWay } from "./git-refs.js";
import { isAncestor } from "./git.js";
import type { BranchProtection, PullRequest, Repo, ReviewState } from "./model.js";
import type { World } from "./state.js";

/** Why a pull request cannot be merged right now; empty when it can. */
export interface MergeCheck {
  conflicts: string[];
  /** Messages GitHub would give for unmet branch protection, in its words. */
  blockers: string[];
  /** GitHub's `mergeable_state`. */
  mergeableState: "clean" | "blocked" | "dirty" | "unstable" | "behind" | "draft";
}

/**
 * Branch protection: what a repository requires before a pull request may merge into a branch,
 * and the merge check that applies it. Mixed into `World`.
 */
export class ProtectionModel {
  setBranchProtection(this: World, repo: Repo, branch: string, protection: BranchProtection | null): void {
    if (!repo.branches.has(branch)) throw new GitHubApiError(404, "Branch not found");
    if (protection) repo.protections.set(branch, protection);
    else repo.protections.delete(branch);
  }

  /**
   * Everything that stands between a PR and a merge: conflicts, required checks on the head
   * (latest run per name must be success/neutral/skipped), strict up-to-date, approvals.
   */
  mergeCheck(this: World, repo: Repo, pull: PullRequest): MergeCheck {
    const merged = threeWay(repo, repo.branches.get(pull.baseRef) ?? pull.baseSha, pull.headSha);
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
  reviewDecisionInputs(this: World, repo: Repo, pull: PullRequest): { approvals: number; changesRequested: number; approvers: string[] } {
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
}
