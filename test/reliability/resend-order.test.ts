import { describe, expect, it } from "vitest";
import { applyEffects } from "../../src/app/apply-effects.js";
import { silentLogger } from "../../src/app/logger.js";
import type { Effect } from "../../src/core/decide/effects.js";
import type { Snapshot } from "../../src/core/decide/snapshot.js";
import type { GitHubGateway } from "../../src/github/gateway.js";

/**
 * Found by the crash chains: the status record saying "re-sent" was written before the
 * re-send, so a crash in between parked the task for a human although nothing had been
 * sent twice. The rule now: act, then record — every dispatch of a pass (claim included)
 * leaves before the batch that carries the status record.
 */
function recordingGateway(calls: string[]): GitHubGateway {
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push(name === "dispatchWorkflow" ? `dispatch ${(args[2] as { task: string }).task}` : name);
    if (name === "createRef") return "created";
    if (name === "applyBatch") return (args[0] as unknown[]).map(() => ({ ok: true }));
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
    { name: "a first send (claim, then dispatch) goes before the record too", effects: [dispatch(5, false, true), status], calls: ["createRef", "dispatch 5", "applyBatch"] },
    { name: "both in one pass", effects: [dispatch(5, false, true), dispatch(4, true, false), status], calls: ["dispatch 4", "createRef", "dispatch 5", "applyBatch"] },
  ])("$name", async ({ effects, calls: expected }) => {
    const calls: string[] = [];
    await applyEffects(recordingGateway(calls), snapshot, effects, silentLogger);
    expect(calls).toEqual(expected);
  });
});
