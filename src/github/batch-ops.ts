import type { BatchOp, BatchResult } from "./gateway.js";
import { mutation, type AliasedMutation } from "./queries.js";

/**
 * BatchOp → aliased GraphQL mutations, and GraphQL's partial answers → one result per op.
 * GitHub runs each aliased mutation on its own: one failing (a stale head, a missing label)
 * leaves `data.<alias>` null with an error whose `path` starts with that alias, while the
 * others succeed. That is what lets one request carry a whole reconcile's edits.
 */

const METHOD = { merge: "MERGE", squash: "SQUASH", rebase: "REBASE" } as const;

/** Check status/conclusion as the createCheckRun/updateCheckRun inputs spell them. */
function checkState(status: "pending" | "success" | "failure"): Record<string, string> {
  if (status === "pending") return { status: "IN_PROGRESS" };
  return { status: "COMPLETED", conclusion: status === "success" ? "SUCCESS" : "FAILURE" };
}

/** The mutations for one op (none for a label change that changes nothing). */
export function opMutations(op: BatchOp, index: number, repositoryId: string): AliasedMutation[] {
  const alias = (n: number) => `op${index}_${n}`;
  switch (op.kind) {
    case "addBlockedBy":
      return [mutation(alias(0), "addBlockedBy", { issueId: op.taskNodeId, blockingIssueId: op.blockerNodeId })];
    case "setLabels": {
      const out: AliasedMutation[] = [];
      if (op.addLabelIds.length > 0) out.push(mutation(alias(out.length), "addLabelsToLabelable", { labelableId: op.issueNodeId, labelIds: op.addLabelIds }));
      if (op.removeLabelIds.length > 0) out.push(mutation(alias(out.length), "removeLabelsFromLabelable", { labelableId: op.issueNodeId, labelIds: op.removeLabelIds }));
      return out;
    }
    case "updateIssue":
      return [mutation(alias(0), "updateIssue", { id: op.issueNodeId, title: op.title, body: op.body })];
    case "closeIssue":
      return [mutation(alias(0), "closeIssue", { issueId: op.issueNodeId, stateReason: op.reason === "completed" ? "COMPLETED" : "NOT_PLANNED" })];
    case "createCheckRun":
      return [
        mutation(alias(0), "createCheckRun", {
          repositoryId,
          headSha: op.headSha,
          name: op.name,
          ...checkState(op.status),
          output: { title: op.title, summary: op.summary },
        }),
      ];
    case "updateCheckRun":
      return [
        mutation(alias(0), "updateCheckRun", {
          repositoryId,
          checkRunId: op.checkNodeId,
          ...checkState(op.status),
          output: { title: op.title, summary: op.summary },
        }),
      ];
    case "merge":
      return [mutation(alias(0), "mergePullRequest", { pullRequestId: op.pullNodeId, expectedHeadOid: op.headSha, mergeMethod: METHOD[op.method] })];
    case "enableAutoMerge":
      return [mutation(alias(0), "enablePullRequestAutoMerge", { pullRequestId: op.pullNodeId, expectedHeadOid: op.headSha, mergeMethod: METHOD[op.method] })];
    case "enqueue":
      return [mutation(alias(0), "enqueuePullRequest", { pullRequestId: op.pullNodeId, expectedHeadOid: op.headSha })];
    case "updateComment":
      return [mutation(alias(0), "updateIssueComment", { id: op.commentNodeId, body: op.body })];
    case "addComment":
      return [mutation(alias(0), "addComment", { subjectId: op.subjectNodeId, body: op.body })];
    case "createRef":
      return [mutation(alias(0), "createRef", { repositoryId, name: `refs/heads/${op.branch}`, oid: op.sha })];
  }
}

/** A GraphQL error as GitHub returns it. */
export interface GqlError {
  message: string;
  path?: (string | number)[];
  type?: string;
}

/**
 * Did all of an op's mutations succeed? An error without a path (a document-level failure)
 * fails every op in the document.
 */
export function opResult(aliases: string[], data: Record<string, unknown> | null | undefined, errors: GqlError[]): BatchResult {
  const global = errors.filter((e) => !e.path || e.path.length === 0);
  if (global.length > 0) return { ok: false, message: global.map((e) => e.message).join("; ") };
  const own = errors.filter((e) => aliases.includes(String(e.path?.[0])));
  if (own.length > 0) return { ok: false, message: own.map((e) => e.message).join("; ") };
  const missing = aliases.filter((a) => data?.[a] === null || data?.[a] === undefined);
  if (missing.length > 0) return { ok: false, message: `no result for ${missing.join(", ")}` };
  return { ok: true };
}

/** Split items into groups whose total weight stays under `max` (an item heavier than max gets its own group). */
export function chunkByWeight<T>(items: T[], weight: (item: T) => number, max: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let load = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && load + w > max) {
      chunks.push(current);
      current = [];
      load = 0;
    }
    current.push(item);
    load += w;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
