import { STRUCTURAL_EFFECTS, type Effect } from "../core/decide/effects.js";
import type { ConfirmedMerge, CreatedTask, OwnWrites } from "../core/decide/own-writes.js";
import type { Snapshot } from "../core/decide/snapshot.js";
import { AmbiguousWriteError, type BatchOp, type BatchResult, type GitHubGateway } from "../github/gateway.js";
import type { Logger } from "./logger.js";
import { ATTR, inSpan, traceFields } from "../observability/tracing.js";
import { correlationId } from "../core/markers/correlation.js";

/** Effects that change facts `decide` reads, so another pass may have more to do. */

export interface ApplyOutcome extends OwnWrites {
  /** Effects carried out (a claim that found the branch taken counts as not applied). */
  applied: number;
  /** Human-readable failures, for logs and the status comment. */
  failures: string[];
  /** Something decide depends on changed: look again. */
  structural: boolean;
  /** A write's outcome is unknown: stop this reconcile and re-read before any further write. */
  ambiguous: boolean;
  /** Merges GitHub confirmed, with their merge commits. */
  merged: ConfirmedMerge[];
  /** Sub-issues GitHub created, with their numbers. */
  created: CreatedTask[];
  /** Labels created in this pass, by name. */
  labelIds: Record<string, string>;
}

/**
 * The only place effects become GitHub writes. Effects arrive in decide's order; writes
 * that can share a request are batched (labels, sub-issue creation, and one GraphQL
 * mutation for blocked-by links, label changes, edits, closes, checks, merges, the status
 * comment and claim branches), the rest (dispatches, cancels) go one by one, serially.
 */
export async function applyEffects(gateway: GitHubGateway, snapshot: Snapshot, effects: readonly Effect[], log: Logger): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { applied: 0, failures: [], structural: false, ambiguous: false, merged: [], created: [], labelIds: {} };
  const byKind = <K extends Effect["kind"]>(kind: K) => effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  /** One write (or batch) counting as `count` effects; skipped when there is nothing to send or an earlier outcome is unknown. */
  const step = async (what: string, count: number, write: () => Promise<void>, empty = count === 0) => {
    if (empty || outcome.ambiguous) return;
    try {
      await write();
      outcome.applied += count;
    } catch (error) {
      if (error instanceof AmbiguousWriteError) outcome.ambiguous = true;
      outcome.failures.push(`${what}: ${(error as Error).message}`);
      log.warn({ err: error, what }, "write failed");
    }
  };

  const dispatches = byKind("dispatch");
  const sendDispatch = (dispatch: (typeof dispatches)[number]) =>
    step(`dispatch #${dispatch.task}`, 1, () => {
      const ids = { task: dispatch.task, run_key: dispatch.runTitle, ...(dispatch.inputs.correlation_id ? { correlation_id: dispatch.inputs.correlation_id } : {}) };
      const attributes = { [ATTR.task]: dispatch.task, [ATTR.runKey]: dispatch.runTitle, [ATTR.correlationId]: dispatch.inputs.correlation_id ?? "" };
      return inSpan("dispatch", { attributes }, async () => {
        for (const head of dispatch.claim?.merge ?? []) {
          // A conflict leaves the branch as it is; the agent resolves it in its run.
          const merged = await gateway.mergeInto(dispatch.claim!.branch, head);
          if (merged === "conflict") log.warn({ ...ids, head }, "stacked claim: merge conflict left for the agent");
        }
        await gateway.dispatchWorkflow(dispatch.workflow, dispatch.ref, dispatch.inputs);
        log.info({ ...ids, workflow: dispatch.workflow, mode: dispatch.inputs.mode, ...traceFields() }, "agent run dispatched");
      });
    });
  // Re-sends go before the batch that records them as re-sent (see the effect's doc).
  for (const dispatch of dispatches.filter((d) => d.resend)) await sendDispatch(dispatch);

  // Labels first: issues and label changes below refer to them by id, new ones included.
  const labelIdsByName: Record<string, string> = { ...snapshot.repoLabels };
  const labels = byKind("createLabels").flatMap((e) => e.labels);
  await step("create labels", labels.length, async () => {
    outcome.labelIds = await gateway.createLabels(labels);
    Object.assign(labelIdsByName, outcome.labelIds);
  });
  const labelIds = (names: readonly string[]) => names.map((n) => labelIdsByName[n]).filter((id): id is string => id !== undefined);

  // Issues are not created without the labels they should carry; the next pass tries both again.
  const creates = labelsReady(byKind("createTask"), labelIdsByName) ? byKind("createTask") : [];
  await step("create sub-issues", creates.length, async () => {
    outcome.created = await gateway.createSubIssues(
      { nodeId: snapshot.milestone.nodeId },
      snapshot.repo.nodeId,
      creates.map((c) => ({ key: c.key, title: c.title, body: c.body, labelIds: labelIds(c.labels) })),
    );
  });

  for (const cancel of byKind("cancelRun")) {
    await step(`cancel run ${cancel.runId} of #${cancel.task}`, 1, () => gateway.cancelRun(cancel.runId));
  }
  // Retries and review runs work on a branch the task already holds: nothing to claim.
  for (const dispatch of dispatches.filter((d) => !d.resend && !d.claim)) await sendDispatch(dispatch);
  for (const assign of byKind("assignCopilot")) {
    await step(`assign Copilot to #${assign.task}`, 1, () => gateway.assignCopilot(assign.issueNodeId));
  }

  // Blocked-by links, labels, checks, merges, the status comment (with the dispatch record)
  // and, last, the claim branches go in one mutation; a claimed task's run is dispatched right after it.
  // A dependent's run is then asked for two round trips after its dependency's merge (this
  // batch, decided on the merge's own result, then the dispatch), after its record.
  const claimed = dispatches.filter((d) => !d.resend && d.claim);
  const updates: BatchOp[] = [];
  const sources: Effect[] = [];
  for (const effect of effects) {
    for (const op of toBatchOp(effect, snapshot, labelIds)) {
      updates.push(op);
      sources.push(effect);
    }
  }
  const claims: BatchOp[] = claimed.map((d) => ({ kind: "createRef", branch: d.claim!.branch, sha: d.claim!.sha }));
  const ops = [...updates, ...claims];
  let results: BatchResult[] = [];
  await step("batched updates", updates.length, async () => {
    results = await gateway.applyBatch(ops);
  }, ops.length === 0);
  results.slice(0, updates.length).forEach((r, i) => {
    const source = sources[i];
    if (!r.ok) {
      // A link GitHub already has is what the op wanted.
      if (!(ops[i]?.kind === "addBlockedBy" && /already/i.test(r.message))) outcome.failures.push(`${ops[i]?.kind}: ${r.message}`);
    } else if (source?.kind === "merge" && r.mergeCommitSha) {
      outcome.merged.push({ task: source.task, mergeCommitSha: r.mergeCommitSha });
      log.info({ task: source.task, pull: source.pull, correlation_id: correlationId(snapshot.milestone.id, source.task), sha: r.mergeCommitSha, ...traceFields() }, "task pull request merged");
    }
  });
  for (const [i, dispatch] of claimed.entries()) {
    const claim = results[updates.length + i];
    if (claim?.ok) await sendDispatch(dispatch);
    // Taken: someone else holds the task (another replica, or a person); the next look decides.
    else if (claim && !/already exists/i.test(claim.message)) outcome.failures.push(`claim #${dispatch.task}: ${claim.message}`);
  }

  // Ended tasks' claim branches go last: nothing in this pass needs them.
  for (const stale of byKind("deleteBranch")) {
    await step(`delete branch ${stale.branch} of #${stale.task}`, 1, () => gateway.deleteBranch(stale.branch));
  }

  outcome.structural = effects.some((e) => STRUCTURAL_EFFECTS.has(e.kind));
  return outcome;
}

function labelsReady(creates: readonly { labels: string[] }[], ids: Readonly<Record<string, string>>): boolean {
  return creates.every((c) => c.labels.every((name) => ids[name] !== undefined));
}

/** The effects that fit in the one GraphQL mutation document of a pass. */
function toBatchOp(effect: Effect, snapshot: Snapshot, labelIds: (names: readonly string[]) => string[]): BatchOp[] {
  switch (effect.kind) {
    case "linkBlockedBy":
      return [{ kind: "addBlockedBy", taskNodeId: effect.taskNodeId, blockerNodeId: effect.blockerNodeId }];
    case "updateTask":
      return [{ kind: "updateIssue", issueNodeId: effect.issueNodeId, title: effect.title, body: effect.body }];
    case "setLabels":
      return [{ kind: "setLabels", issueNodeId: effect.issueNodeId, addLabelIds: labelIds(effect.add), removeLabelIds: labelIds(effect.remove) }];
    case "closeIssue":
      return [{ kind: "closeIssue", issueNodeId: effect.issueNodeId, reason: effect.reason }];
    case "setDagCheck":
      return effect.checkNodeId
        ? [{ kind: "updateCheckRun", checkNodeId: effect.checkNodeId, status: effect.status, title: effect.title, summary: effect.summary }]
        : [{ kind: "createCheckRun", headSha: effect.headSha, name: "architect/dag", status: effect.status, title: effect.title, summary: effect.summary }];
    case "merge":
      return [{ kind: "merge", pullNodeId: effect.pullNodeId, headSha: effect.headSha, method: effect.method }];
    case "enableAutoMerge":
      return [{ kind: "enableAutoMerge", pullNodeId: effect.pullNodeId, headSha: effect.headSha, method: effect.method }];
    case "enqueue":
      return [{ kind: "enqueue", pullNodeId: effect.pullNodeId, headSha: effect.headSha }];
    case "upsertStatusComment":
      return effect.commentNodeId
        ? [{ kind: "updateComment", commentNodeId: effect.commentNodeId, body: effect.body }]
        : [{ kind: "addComment", subjectNodeId: snapshot.milestone.nodeId, body: effect.body }];
    // Written outside the one mutation, each in its own phase above: new labels and sub-issues
    // (their ids are needed in it), run cancellations, Copilot assignments, dispatches and branch deletions.
    case "createLabels":
    case "createTask":
    case "dispatch":
    case "assignCopilot":
    case "cancelRun":
    case "deleteBranch":
      return [];
  }
}
