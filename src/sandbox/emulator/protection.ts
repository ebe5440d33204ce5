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

/** What merging into a branch requires, from classic protection and rulesets together. */
export interface BranchRequirements {
  requiredChecks: string[];
  strict: boolean;
  reviewsRequired: boolean;
  requiredApprovals: number;
  dismissStaleReviews: boolean;
  /** The `merge_queue` rule's parameters when a ruleset requires a merge queue, else null. */
  mergeQueue: Record<string, unknown> | null;
  /** Classic branch protection exists for the branch. */
  classic: boolean;
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
   * What merging into `branch` requires, classic protection and active rulesets combined
   * (../shared/reference/github-platform.md §4): the union of required checks, the most
   * approvals asked for, strict when either asks, and a merge queue when a ruleset has one.
   */
  branchRequirements(this: World, repo: Repo, branch: string): BranchRequirements {
    const classic = repo.protections.get(branch) ?? null;
    const checks = new Set(classic?.requiredStatusChecks?.contexts ?? []);
    let strict = classic?.requiredStatusChecks?.strict ?? false;
    let approvals = classic?.requiredPullRequestReviews?.requiredApprovingReviewCount ?? 0;
    let dismissStale = classic?.requiredPullRequestReviews?.dismissStaleReviews ?? false;
    let reviewsRequired = classic?.requiredPullRequestReviews != null;
    let mergeQueue: Record<string, unknown> | null = null;
    for (const { rule } of this.rulesForBranch(repo, branch)) {
      const p = rule.parameters ?? {};
      if (rule.type === "required_status_checks") {
        for (const c of (p.required_status_checks as { context: string }[] | undefined) ?? []) checks.add(c.context);
        if (p.strict_required_status_checks_policy === true) strict = true;
      } else if (rule.type === "pull_request") {
        reviewsRequired = true;
        approvals = Math.max(approvals, Number(p.required_approving_review_count ?? 0));
        if (p.dismiss_stale_reviews_on_push === true) dismissStale = true;
      } else if (rule.type === "merge_queue") mergeQueue = p;
    }
    return { requiredChecks: [...checks], strict, reviewsRequired, requiredApprovals: approvals, dismissStaleReviews: dismissStale, mergeQueue, classic: classic !== null };
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
    const rules = this.branchRequirements(repo, pull.baseRef);
    if (rules.requiredChecks.length > 0) {
      const latest = this.latestCheckRunsFor(repo, pull.headSha);
      const missing = rules.requiredChecks.filter((context) => {
        const run = latest.find((r) => r.name === context);
        const passed = run?.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? "");
        if (run?.status === "completed" && !passed) failingChecks = true;
        return !passed;
      });
      if (missing.length === 1) blockers.push(`Required status check "${missing[0]}" is expected.`);
      else if (missing.length > 1) {
        blockers.push(`${missing.length} of ${rules.requiredChecks.length} required status checks are expected.`);
      }
    }
    const baseTip = repo.branches.get(pull.baseRef);
    if (rules.strict && baseTip && !isAncestor(repo.commits, baseTip, pull.headSha)) {
      behind = true;
      blockers.push("Head branch is not up to date with the base branch.");
    }
    if (rules.reviewsRequired) {
      const { approvals, changesRequested } = this.reviewDecisionInputs(repo, pull);
      if (changesRequested > 0) blockers.push("Changes must be made before merging.");
      else if (approvals < rules.requiredApprovals) {
        const n = rules.requiredApprovals;
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
