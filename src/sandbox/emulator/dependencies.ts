import { notFound, validationFailed } from "./errors.js";
import { LIMITS } from "./limits.js";
import type { Issue, Repo, User } from "./model.js";
import type { World } from "./state.js";

/** Issue dependencies ("blocked by" / "blocking"). Mixed into `World`. */
export class DependenciesModel {
  /** Record "`blocked` is blocked by `blocker`" (max 50 per issue). Emits `issue_dependencies.blocked_by_added`. */
  addBlockedBy(this: World, repo: Repo, blocked: Issue, blocker: Issue, sender: User): void {
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

  removeBlockedBy(this: World, repo: Repo, blocked: Issue, blocker: Issue, sender: User): void {
    if (!blocked.blockedBy.includes(blocker)) throw notFound();
    blocked.blockedBy = blocked.blockedBy.filter((i) => i !== blocker);
    blocker.blocking = blocker.blocking.filter((i) => i !== blocked);
    this.emit("issue_dependencies", "blocked_by_removed", repo, sender, { blockedIssue: blocked, blockingIssue: blocker });
  }
}
