import type { BodyEdit, IssueFacts, TitleRename } from "../decide/snapshot.js";

/**
 * Plans come only from trusted text (issue 10 §1). On a public repository anyone can open an
 * issue and its author can edit the description at any time, without write access. So a
 * milestone's description is planned from only when, at the moment the command was written,
 * it was text someone with write access endorsed:
 * - never edited: the text as created, which the person who ran the command read; or
 * - last edited by someone with write access, before the command was written.
 * An edit after the command (by anyone) or a last edit by someone without write access
 * refuses: the reply says who edited it and when, and asks a writer to check the text and
 * run the command again. Earlier versions of the text (GitHub keeps them) are never planned
 * from: the preview and the sub-issues always show the description as it stands.
 */

/** Whether the last editor may write to the repository; null when the body was never edited. */
export type EditorAccess = "write" | "none" | null;

/** Why the milestone's text cannot be planned from, or null when it can. */
export function planSourceRefusal(milestone: IssueFacts, command: "plan" | "replan", commandAt: number, editorAccess: EditorAccess): string | null {
  const again = `comment \`/architect ${command}\` again`;
  const last = milestone.lastEdit ?? null;
  if (last === null) return null;
  const after = (milestone.bodyEdits ?? []).filter((e) => e.at > commandAt);
  if (last.at > commandAt && !after.some((e) => e.at === last.at && e.by === last.by)) after.unshift(last);
  if (after.length > 0) {
    return [
      "**Architect did not plan this milestone.** Its description changed after the command was written:",
      "",
      ...after.slice(0, 5).map(describeEdit),
      ...(after.length > 5 ? [`- …and ${after.length - 5} more edits`] : []),
      "",
      `Architect plans only from the text as it stood when the command was written (${formatTime(commandAt)}). Someone with write access should read the description now and ${again}.`,
    ].join("\n");
  }
  if (editorAccess !== "write") {
    return [
      `**Architect did not plan this milestone.** Its description was last edited by ${who(last)} at ${formatTime(last.at)}, who does not have write access to this repository.`,
      "",
      `Architect plans only from text that someone with write access wrote or last edited. Someone with write access should read the description, edit it (that makes them its last editor), and ${again}.`,
    ].join("\n");
  }
  return null;
}

/**
 * The same rule for the title, which is planned from too and which the issue's author can
 * rename without write access: a rename after the command (by anyone), or a last rename by
 * someone without write access, refuses. `renamerAccess` is the last renamer's access, null
 * when the title was never renamed (among the newest renames read).
 */
export function titleRenameRefusal(milestone: IssueFacts, command: "plan" | "replan", commandAt: number, renamerAccess: EditorAccess): string | null {
  const again = `comment \`/architect ${command}\` again`;
  const renames = milestone.titleRenames ?? [];
  const last = renames[0];
  if (last === undefined) return null;
  const after = renames.filter((r) => r.at > commandAt);
  if (after.length > 0) {
    return [
      "**Architect did not plan this milestone.** Its title changed after the command was written:",
      "",
      ...after.map(describeRename),
      "",
      `Architect plans only from the text as it stood when the command was written (${formatTime(commandAt)}). Someone with write access should read the title now and ${again}.`,
    ].join("\n");
  }
  if (renamerAccess !== "write") {
    return [
      `**Architect did not plan this milestone.** Its title was last renamed by ${who(last)} at ${formatTime(last.at)} (${title(last.from)} to ${title(last.to)}), who does not have write access to this repository.`,
      "",
      `Architect plans only from text that someone with write access wrote or last edited. Someone with write access should read the title, rename it (that makes them its last renamer), and ${again}.`,
    ].join("\n");
  }
  return null;
}

function describeRename(rename: TitleRename): string {
  return `- renamed by ${who(rename)} at ${formatTime(rename.at)}: ${title(rename.from)} to ${title(rename.to)}`;
}

/** An untrusted title as inline code on one line: no backticks, bounded. */
function title(text: string): string {
  const flat = text.replace(/`/g, "'").replace(/\s+/g, " ").trim();
  return `\`${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}\``;
}

/**
 * Why `/architect approve` cannot approve the stored plan, or null when it can: the
 * milestone's text must be the text the plan and its preview were built from.
 */
export function approvalSourceRefusal(milestone: IssueFacts, storedHash: string | undefined, currentHash: string): string | null {
  if (storedHash === currentHash) return null;
  const last = milestone.lastEdit ?? null;
  const edited = last ? ` (last edited by ${who(last)} at ${formatTime(last.at)})` : "";
  const why = storedHash === undefined ? "This plan does not record which text it was made from" : `The milestone's title or description changed after this plan was made${edited}`;
  return `${why}, so approving it could approve something the preview does not show. Nothing was approved. Comment \`/architect replan\` to plan from the current text, then approve the new preview.`;
}

function describeEdit(edit: BodyEdit): string {
  return `- edited by ${who(edit)} at ${formatTime(edit.at)}`;
}

/** A login as code: named, but not notified (and a bot keeps its `[bot]`). */
function who(edit: BodyEdit): string {
  return `\`@${edit.by.replace(/[`\s]/g, "")}\``;
}

/** UTC to the second, as GitHub stores edit times. */
function formatTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z") : "an unknown time";
}
