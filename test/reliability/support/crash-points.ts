import type { AppWrite, CrashPlan } from "./app-instance.js";

/**
 * Named effect boundaries of a milestone's life, as the writes that cross them. A crash
 * "before" a write loses the intent; "after" commits it and loses the answer — the two
 * ways a killed process leaves GitHub.
 */
const rest = (pattern: RegExp) => (w: AppWrite) => w.url !== "/graphql" && pattern.test(w.url);
const gql = (field: string) => (w: AppWrite) => w.mutations.includes(field);

/** A GraphQL write whose variables carry `text` (a marker's name, say). */
const carries = (text: string) => (w: AppWrite) => w.url === "/graphql" && JSON.stringify(w.params.variables ?? {}).includes(text);

export const WRITES = {
  // A command's one mutation: the milestone label, the control record and the answer.
  controlComment: carries("architect:control"),
  createIssue: gql("createIssue"),
  addBlockedBy: gql("addBlockedBy"),
  stateLabels: gql("addLabelsToLabelable"),
  statusComment: (w: AppWrite) => w.mutations.includes("addComment") || w.mutations.includes("updateIssueComment"),
  // Claims ride in the pass's GraphQL batch (createRef), before the dispatch.
  claimRef: gql("createRef"),
  dispatch: rest(/\/dispatches$/),
  dagCheck: gql("createCheckRun"),
  merge: gql("mergePullRequest"),
} satisfies Record<string, (w: AppWrite) => boolean>;

export function crashAt(name: keyof typeof WRITES, phase: CrashPlan["phase"]): CrashPlan {
  return { name: `${phase} ${name}`, at: WRITES[name], phase };
}

/** The first claim branch a batch write creates, or null. */
export function claimedBranch(w: AppWrite): string | null {
  if (!WRITES.claimRef(w)) return null;
  const variables = (w.params.variables ?? {}) as Record<string, { name?: unknown } | undefined>;
  const ref = Object.values(variables).find((v) => typeof v?.name === "string" && v.name.startsWith("refs/heads/"))?.name as string | undefined;
  return ref ? ref.replace(/^refs\/heads\//, "") : null;
}
