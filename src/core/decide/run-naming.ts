import { formatRunTitle } from "../markers/run-title.js";
import type { RunMode } from "./snapshot.js";

/**
 * Names that tie GitHub objects back to a task: the claim branch (the lock) and the run
 * title (the workflow's run-name, how a run is correlated to its task and sequence).
 */

const SLUG_MAX = 40;

/** `architect/<number>-<slug>`: the number makes it unique, the slug makes it readable. */
export function claimBranchName(issueNumber: number, title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
  return `architect/${issueNumber}-${slug || "task"}`;
}

/** `architect <milestone>/<task>/<seq>/<mode>`; parsed back into a RunKey by the snapshot loader. */
export function runTitle(milestone: number, task: number, seq: number, mode: RunMode): string {
  return formatRunTitle({ milestone, task, seq, mode });
}
