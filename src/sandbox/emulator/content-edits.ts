import type { ContentEdit, Issue, TitleRenameEvent, User } from "./model.js";
import type { World } from "./state.js";

/**
 * Who edited an issue body, and when. GitHub keeps every version of an issue body and
 * serves it on the issue in GraphQL (GitHub's schema, `@octokit/graphql-schema`, which the
 * emulator executes against: `Issue.lastEditedAt` "the moment the editor made the last
 * edit", `Issue.editor` "the actor who edited the comment", `Issue.userContentEdits` and
 * `UserContentEdit { editedAt editor diff }`, `Issue.includesCreatedEdit` "an edit with the
 * creation data"). Anyone who can edit the issue leaves an entry, and on a public repository
 * the issue's author can edit its body without any access to the repository (see
 * docs/architecture.md, Security: "Plans from trusted text only").
 *
 * Modelled: each body change through REST `PATCH /issues/{n}` or GraphQL `updateIssue`
 * records one entry (editor, time, the new body); the first change also records the created
 * version, so the list then starts with the author's original. Listed newest first.
 * Title changes are not body edits: GitHub records them as timeline items (same schema:
 * `RenamedTitleEvent { actor createdAt previousTitle currentTitle }`, read through
 * `Issue.timelineItems(itemTypes: [RENAMED_TITLE_EVENT])`), see `recordTitleRename`.
 */
export function recordBodyEdit(world: World, issue: Issue, editor: User, previousBody: string): void {
  if (issue.bodyEdits.length === 0) issue.bodyEdits.unshift(newEdit(world, issue.createdAt, issue.user, previousBody));
  issue.bodyEdits.unshift(newEdit(world, world.clock.now(), editor, issue.body));
}

/** Time of the newest body edit, or null when the body was never edited. */
export function lastEditedAt(issue: Issue): number | null {
  return issue.bodyEdits[0]?.editedAt ?? null;
}

/** Who made the newest body edit, or null when the body was never edited. */
export function lastEditor(issue: Issue): User | null {
  return issue.bodyEdits[0]?.editor ?? null;
}

function newEdit(world: World, editedAt: number, editor: User, body: string): ContentEdit {
  return { ...world.newIds("UserContentEdit"), editedAt, editor, body };
}

/**
 * A title change through REST `PATCH /issues/{n}` or GraphQL `updateIssue` records one
 * `RenamedTitleEvent` (GitHub's schema, `@octokit/graphql-schema`: "Represents a 'renamed'
 * event on a given issue or pull request", with `actor`, `createdAt`, `previousTitle`,
 * `currentTitle`). Whoever may edit the issue may rename it, its author included.
 */
export function recordTitleRename(world: World, issue: Issue, actor: User, previousTitle: string): void {
  const event: TitleRenameEvent = { ...world.newIds("RenamedTitleEvent"), at: world.clock.now(), actor, previousTitle, currentTitle: issue.title };
  issue.titleRenames.push(event);
}
