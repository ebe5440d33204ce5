import { describe, expect, it } from "vitest";
import { handleCommand, type CommandEnv } from "../../src/app/commands.js";
import { silentLogger } from "../../src/app/logger.js";
import { withReplyMarker } from "../../src/app/replies.js";
import type { Snapshot } from "../../src/core/decide/snapshot.js";
import { BOT, makeConfig, makeControl, makeIssue, makeSnapshot, planTask } from "../../src/core/decide/test-builders.js";
import { decodeMarker } from "../../src/core/markers/markers.js";
import type { BatchOp, BatchResult, CommentFacts, GitHubGateway } from "../../src/github/gateway.js";
import { createMarkdownPlanner } from "../../src/planners/index.js";
import { MILESTONE_LABEL } from "../../src/shared/labels.js";
import { ManualClock } from "../github/manual-clock.js";

const TASK_LIST = "## Tasks\n\n- [ ] `schema` Add the schema\n- [ ] `api` Add the API\n  - depends on: `schema`\n";

/** A gateway that serves one milestone thread and records every call by name. */
function recordingGateway(snapshot: Snapshot, answer: (op: BatchOp) => BatchResult = () => ({ ok: true }), comments: CommentFacts[] = []) {
  const calls: string[] = [];
  const batches: BatchOp[][] = [];
  const gateway = {
    owner: "acme",
    repo: "app",
    loadThread: async () => (calls.push("loadThread"), { issue: snapshot.milestone, comments, snapshot }),
    loadSnapshot: async () => (calls.push("loadSnapshot"), snapshot),
    getPermission: async () => (calls.push("getPermission"), "write" as const),
    createLabels: async (labels: { name: string }[]) => (calls.push(`createLabels:${labels.map((l) => l.name).join(",")}`), Object.fromEntries(labels.map((l) => [l.name, `LA_${l.name}`]))),
    applyBatch: async (ops: BatchOp[]) => (calls.push("applyBatch"), batches.push(ops), ops.map(answer)),
    createComment: async () => (calls.push("createComment"), { id: 1, nodeId: "C_1", body: "" }),
  } as unknown as GitHubGateway;
  return { gateway, calls, batches };
}

function env(gateway: GitHubGateway, requestReconcile: (milestone: number) => void = () => {}): CommandEnv {
  return {
    gateway,
    configResult: { ok: true, config: makeConfig({ planner: { chain: ["markdown"] } }) } as CommandEnv["configResult"],
    clock: new ManualClock(0),
    log: silentLogger,
    botLogin: BOT,
    planners: () => ({ markdown: createMarkdownPlanner() }),
    requestReconcile,
  };
}

const command = (body: string) => ({ kind: "command" as const, issue: 1, commentId: 77, body, author: "maria", authorIsBot: false, createdAt: "2026-01-01T00:00:00Z" });

describe("a command's writes", () => {
  it("plans a fresh milestone with one read and two writes: the labels, then label + plan + answer in one mutation", async () => {
    const fresh = makeSnapshot({ controlValue: null, tasks: [], repoLabels: {} });
    fresh.milestone = makeIssue(1, { nodeId: "I_1", body: TASK_LIST, labels: [] });
    const { gateway, calls, batches } = recordingGateway(fresh);
    await handleCommand(env(gateway), command("/architect plan"));
    expect(calls).toEqual(["loadThread", "getPermission", expect.stringMatching(/^createLabels:architect:milestone,architect:task,architect:blocked/), "applyBatch"]);
    const [label, plan, answer] = batches[0] as BatchOp[];
    expect(label).toEqual({ kind: "setLabels", issueNodeId: "I_1", addLabelIds: [`LA_${MILESTONE_LABEL}`], removeLabelIds: [] });
    expect(plan).toMatchObject({ kind: "addComment", subjectNodeId: "I_1" });
    expect(decodeMarker("control", (plan as { body: string }).body)?.plan.tasks.map((t) => t.key)).toHaveLength(2);
    expect(answer).toMatchObject({ kind: "addComment", subjectNodeId: "I_1" });
    expect(decodeMarker("reply", (answer as { body: string }).body)).toEqual({ to: 77, topic: "plan" });
  });

  it("pauses with one mutation: the control record's edit and the answer", async () => {
    const planned = makeSnapshot({ controlValue: makeControl([planTask("a")]), tasks: [] });
    planned.milestone = makeIssue(1, { nodeId: "I_1", labels: [MILESTONE_LABEL] });
    const { gateway, calls, batches } = recordingGateway(planned);
    await handleCommand(env(gateway), command("/architect pause"));
    expect(calls).toEqual(["loadThread", "getPermission", "applyBatch"]);
    expect(batches[0]?.map((op) => op.kind)).toEqual(["updateComment", "addComment"]);
    expect(decodeMarker("control", (batches[0]?.[0] as { body: string }).body)?.paused).toBe(true);
  });

  it("throws when an op of the mutation failed, so the command is tried again", async () => {
    const planned = makeSnapshot({ controlValue: makeControl([planTask("a")]), tasks: [] });
    const { gateway } = recordingGateway(planned, (op) => (op.kind === "updateComment" ? { ok: false, message: "Could not resolve to a node" } : { ok: true }));
    await expect(handleCommand(env(gateway), command("/architect pause"))).rejects.toThrow(/updateComment: Could not resolve/);
  });

  it("a retry that finds its answer stored writes nothing and still sets the milestone going", async () => {
    const planned = makeSnapshot({ controlValue: makeControl([planTask("a")]), tasks: [] });
    const answer: CommentFacts = { id: 5, nodeId: "IC_5", author: BOT, authorIsBot: true, body: withReplyMarker("Paused.", 77, "pause"), createdAt: 1, updatedAt: 1 };
    const { gateway, calls } = recordingGateway(planned, () => ({ ok: true }), [answer]);
    const reconciled: number[] = [];
    await handleCommand(env(gateway, (m) => reconciled.push(m)), command("/architect pause"));
    expect(calls).toEqual(["loadThread", "getPermission"]);
    expect(reconciled).toEqual([1]);
  });
});
