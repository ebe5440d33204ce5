import type { RunKey, RunMode } from "../decide/snapshot.js";

/**
 * A dispatched run's title (the workflow's `run-name`, GitHub's `display_title`):
 * `architect <milestone>/<task>/<seq>/<mode>`. It is how runs are matched back to tasks,
 * so it carries ids only and is parsed strictly.
 */
export function formatRunTitle(key: RunKey): string {
  return `architect ${key.milestone}/${key.task}/${key.seq}/${key.mode}`;
}

const RUN_TITLE = /^architect (\d{1,9})\/(\d{1,9})\/(\d{1,4})\/(initial|retry|review)$/;

export function parseRunTitle(title: string): RunKey | null {
  const match = RUN_TITLE.exec(title.trim());
  if (!match) return null;
  return { milestone: Number(match[1]), task: Number(match[2]), seq: Number(match[3]), mode: match[4] as RunMode };
}
