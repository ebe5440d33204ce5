import type { RunKey, RunMode } from "../decide/snapshot.js";

/**
 * A dispatched run's title (the workflow's `run-name`, GitHub's `display_title`):
 * `architect <milestone>/<task>/<seq>/<mode>`. It is how runs are matched back to tasks,
 * so it carries ids only and is parsed strictly.
 */
export function formatRunTitle(key: RunKey): string {
  return `architect ${key.milestone}/${key.task}/${key.seq}/${key.mode}`;
}

// Positive numbers without leading zeros, as formatRunTitle writes them: a milestone 0 is no issue.
const RUN_TITLE = /^architect ([1-9]\d{0,8})\/([1-9]\d{0,8})\/([1-9]\d{0,3})\/(initial|retry|review)$/;

export function parseRunTitle(title: string): RunKey | null {
  const match = RUN_TITLE.exec(title.trim());
  if (!match) return null;
  return { milestone: Number(match[1]), task: Number(match[2]), seq: Number(match[3]), mode: match[4] as RunMode };
}
