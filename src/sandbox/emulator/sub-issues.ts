import { notFound, validationFailed } from "./errors.js";
import { LIMITS } from "./limits.js";
import type { Issue, Repo, User } from "./model.js";
import type { World } from "./state.js";

/** Sub-issues: one parent per issue, up to 100 children, eight levels. Mixed into `World`. */
export class SubIssuesModel {
  /**
   * Link `child` under `parent`. GitHub's rules: same owner, not a PR, one parent (unless
   * replaceParent), at most 100 children, at most 8 levels, no cycles.
   * Emits `sub_issues.sub_issue_added` (on the parent) and `parent_issue_added` (on the child).
   */
  addSubIssue(this: World, repo: Repo, parent: Issue, child: Issue, options: { replaceParent?: boolean }, sender: User): void {
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

  removeSubIssue(this: World, repo: Repo, parent: Issue, child: Issue, sender: User): void {
    if (child.parent !== parent) throw notFound();
    parent.subIssues = parent.subIssues.filter((i) => i !== child);
    child.parent = null;
    this.emit("sub_issues", "sub_issue_removed", repo, sender, { parentIssue: parent, subIssue: child });
    this.emit("sub_issues", "parent_issue_removed", child.repo, sender, { parentIssue: parent, subIssue: child });
  }
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
