import type { AppWrite, CrashPlan } from "./app-instance.js";

/**
 * Named effect boundaries of a milestone's life, as the writes that cross them. A crash
 * "before" a write loses the intent; "after" commits it and loses the answer — the two
 * ways a killed process leaves GitHub.
 */
const rest = (pattern: RegExp) => (w: AppWrite) => w.url !== "/graphql" && pattern.test(w.url);
const gql = (field: string) => (w: AppWrite) => w.mutations.includes(field);

export const WRITES = {
  controlComment: rest(/\/issues\/(\{issue_number\}|\d+)\/comments$/),
  milestoneLabel: rest(/\/issues\/(\{issue_number\}|\d+)\/labels$/),
  createIssue: gql("createIssue"),
  addBlockedBy: gql("addBlockedBy"),
  stateLabels: gql("addLabelsToLabelable"),
  statusComment: (w: AppWrite) => w.mutations.includes("addComment") || w.mutations.includes("updateIssueComment"),
  claimRef: rest(/\/git\/refs$/),
  dispatch: rest(/\/dispatches$/),
  dagCheck: gql("createCheckRun"),
  merge: gql("mergePullRequest"),
} satisfies Record<string, (w: AppWrite) => boolean>;

export function crashAt(name: keyof typeof WRITES, phase: CrashPlan["phase"]): CrashPlan {
  return { name: `${phase} ${name}`, at: WRITES[name], phase };
}
