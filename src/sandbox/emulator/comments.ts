import { notFound, validationFailed } from "./errors.js";
import type { App, Comment, Issue, Repo, User } from "./model.js";
import type { World } from "./state.js";

/** Issue and pull-request comments. Mixed into `World`. */
export class CommentsModel {
  /** Comment on an issue or PR; emits `issue_comment.created`. */
  createComment(this: World, repo: Repo, issue: Issue, body: string, user: User, viaApp: App | null = null): Comment {
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
  findComment(this: World, repo: Repo, id: number): { issue: Issue; comment: Comment } | null {
    for (const issue of repo.issues.values()) {
      const comment = issue.comments.find((c) => c.id === id);
      if (comment) return { issue, comment };
    }
    return null;
  }

  /** Edit a comment; emits `issue_comment.edited` with `changes.body.from` when the text changed. */
  updateComment(this: World, repo: Repo, id: number, body: string, sender: User): Comment {
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

  deleteComment(this: World, repo: Repo, id: number, sender: User): void {
    const found = this.findComment(repo, id);
    if (!found) throw notFound();
    found.issue.comments = found.issue.comments.filter((c) => c !== found.comment);
    this.emit("issue_comment", "deleted", repo, sender, { issue: found.issue, comment: found.comment });
  }
}
