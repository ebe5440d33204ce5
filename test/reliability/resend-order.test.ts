import { describe, expect, it } from "vitest";
import { applyEffects } from "../../src/app/apply-effects.js";
import { silentLogger } from "../../src/app/logger.js";
import type { Effect } from "../../src/core/decide/effects.js";
import type { Snapshot } from "../../src/core/decide/snapshot.js";
import type { BatchOp, BatchResult, GitHubGateway } from "../../src/github/gateway.js";

/**
 * Found by the crash chains: the status record saying "re-sent" was written before the
 * re-send, so a crash in between parked the task for a human although nothing had been
 * sent twice. The rule now: a re-send (and any run on a branch the task already holds)
 * leaves before the batch that records it; a first send claims its branch inside that
 * batch, after the record, and is dispatched once the claim succeeded. A crash between
 * the batch and the dispatch leaves a claimed branch with a record and no run, which the
 * lost-dispatch grace turns into one re-send.
 */
const batches: BatchOp[][] = [];

function recordingGateway(calls: string[], seen: BatchOp[][], answer?: (ops: BatchOp[]) => BatchResult[]): GitHubGateway {
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push(name === "dispatchWorkflow" ? `dispatch ${(args[2] as { task: string }).task}` : name);
    if (name === "applyBatch") {
      const ops = args[0] as BatchOp[];
      seen.push(ops);
      return answer ? answer(ops) : ops.map(() => ({ ok: true }));
    }
    return undefined;
  };
  return new Proxy({} as GitHubGateway, { get: (_, name) => record(String(name)) });
}

const snapshot = { milestone: { nodeId: "M", number: 1 }, repo: { nodeId: "R" }, repoLabels: {} } as unknown as Snapshot;
const dispatch = (task: number, resend: boolean, claim: boolean): Effect => ({
  kind: "dispatch",
  task,
  claim: claim ? { branch: `architect/${task}-t`, sha: "abc" } : null,
  workflow: "architect-agent.yml",
  ref: "main",
  inputs: { task: String(task) },
  runTitle: `architect 1/${task}/1/initial`,
  ...(resend ? { resend: true } : {}),
});
const status: Effect = { kind: "upsertStatusComment", commentNodeId: "C", body: "status with records" };

describe("order of a pass's writes around dispatches", () => {
  it.each([
    { name: "a re-send goes before the batch that records it", effects: [dispatch(4, true, false), status], calls: ["dispatch 4", "applyBatch"] },
    { name: "a first send claims in the batch, after the record, and dispatches after it", effects: [dispatch(5, false, true), status], calls: ["applyBatch", "dispatch 5"] },
    { name: "both in one pass", effects: [dispatch(5, false, true), dispatch(4, true, false), status], calls: ["dispatch 4", "applyBatch", "dispatch 5"] },
  ])("$name", async ({ effects, calls: expected }) => {
    const calls: string[] = [];
    await applyEffects(recordingGateway(calls, batches), snapshot, effects, silentLogger);
    expect(calls).toEqual(expected);
  });

  it("puts the claim after the status record in the batch, and skips the dispatch of a claim that was taken", async () => {
    const calls: string[] = [];
    const answers: BatchResult[] = [{ ok: true }, { ok: false, message: 'A ref named "refs/heads/architect/5-t" already exists in the repository.' }, { ok: true }];
    const gateway = recordingGateway(calls, batches, () => answers);
    const outcome = await applyEffects(gateway, snapshot, [dispatch(5, false, true), dispatch(6, false, true), status], silentLogger);
    expect(batches.at(-1)?.map((op) => op.kind)).toEqual(["updateComment", "createRef", "createRef"]);
    expect(calls).toEqual(["applyBatch", "dispatch 6"]);
    // A taken claim is someone else's task, not a failure to retry.
    expect(outcome.failures).toEqual([]);
  });
});
