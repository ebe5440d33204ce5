import { labelsForNewTasks } from "../core/decide/materialise.js";
import type { Snapshot } from "../core/decide/snapshot.js";
import type { BatchOp, GitHubGateway } from "../github/gateway.js";
import { MILESTONE_LABEL, MILESTONE_LABEL_SPEC } from "../shared/labels.js";

/** What a command leaves behind on GitHub. */
export interface CommandWrites {
  /** The control comment's new body; null leaves it alone. */
  control: string | null;
  /** The milestone must carry `architect:milestone`: the startup sweep finds planned milestones by it. */
  labelMilestone: boolean;
  /** The answer (reply marker included) and the issue it goes on; null when there is nothing to say. */
  reply: { subjectNodeId: string; body: string } | null;
}

/**
 * Everything a command writes, in one GraphQL mutation: the milestone label, then the
 * control record, then the answer. A crash cannot cut one request in half, so a plan is
 * never stored where the startup sweep does not look. The first milestone in a repository
 * creates its label first, together with the labels its tasks will carry, which saves the
 * reconcile that request. Throws when an op failed, so the command is tried again (it is
 * idempotent: the reply marker and the handled command ids).
 */
export async function writeCommandResult(gateway: GitHubGateway, snapshot: Snapshot, writes: CommandWrites): Promise<void> {
  const ops: BatchOp[] = [];
  if (writes.labelMilestone && !snapshot.milestone.labels.includes(MILESTONE_LABEL)) {
    const id = snapshot.repoLabels[MILESTONE_LABEL] ?? (await gateway.createLabels([MILESTONE_LABEL_SPEC, ...labelsForNewTasks(snapshot.repoLabels)]))[MILESTONE_LABEL];
    // Made by someone else in the meantime: the next attempt reads it.
    if (!id) throw new Error(`GitHub did not return the id of the ${MILESTONE_LABEL} label`);
    ops.push({ kind: "setLabels", issueNodeId: snapshot.milestone.nodeId, addLabelIds: [id], removeLabelIds: [] });
  }
  if (writes.control !== null) ops.push(...controlOps(snapshot, writes.control));
  if (writes.reply) ops.push({ kind: "addComment", subjectNodeId: writes.reply.subjectNodeId, body: writes.reply.body });
  if (ops.length === 0) return;
  const results = await gateway.applyBatch(ops);
  const failed = results.flatMap((r, i) => (r.ok ? [] : [`${ops[i]?.kind}: ${r.message}`]));
  if (failed.length > 0) throw new Error(`storing the command's result failed: ${failed.join("; ")}`);
}

/** Store the control record in the existing control comment, or create it. */
function controlOps(snapshot: Snapshot, body: string): BatchOp[] {
  // id 0: a record synthesised for a single-issue run, not stored in a comment yet.
  if (snapshot.control && snapshot.control.id !== 0) {
    return snapshot.control.body === body ? [] : [{ kind: "updateComment", commentNodeId: snapshot.control.nodeId, body }];
  }
  return [{ kind: "addComment", subjectNodeId: snapshot.milestone.nodeId, body }];
}
