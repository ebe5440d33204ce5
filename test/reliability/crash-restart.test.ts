import { afterEach, describe, expect, it } from "vitest";
import { comment, createSandbox, openMilestone, type Sandbox } from "../../src/sandbox/index.js";
import { scaledClock } from "../../src/shared/clock.js";
import { startAppInstance, type AppInstance, type CrashPlan } from "./support/app-instance.js";
import { claimedBranch, crashAt, WRITES } from "./support/crash-points.js";
import { duplicateWork, expectedFinalState, finalState, milestoneDone, TEN_TASK_BODY, waitFor } from "./support/milestone.js";

/**
 * Issue #5, reliability 2 (CR-1, CR-4): the process dies at an effect boundary — just before
 * a write leaves, or just after GitHub committed it — and a fresh process (new Probot, new
 * runtime, nothing carried over) starts on the same GitHub and sweeps. Every distinct write
 * of a milestone's life is a boundary here; each chain kills one process per boundary, in
 * lifecycle order, during one 10-task milestone, and the milestone must still finish with
 * nothing duplicated or lost.
 */
const chains: { name: string; crashes: CrashPlan[] }[] = [
  {
    name: "planning",
    crashes: [crashAt("controlComment", "after"), crashAt("createIssue", "after"), crashAt("addBlockedBy", "before"), crashAt("stateLabels", "after"), crashAt("statusComment", "before")],
  },
  {
    name: "dispatching",
    crashes: [crashAt("claimRef", "after"), crashAt("dispatch", "before"), crashAt("dispatch", "after"), crashAt("claimRef", "before"), crashAt("statusComment", "after")],
  },
  {
    name: "merging",
    crashes: [crashAt("dagCheck", "after"), crashAt("merge", "after"), crashAt("merge", "before"), crashAt("dispatch", "after"), crashAt("merge", "after")],
  },
];

/**
 * The sharpest dispatch case, aimed at one task: the process that claimed it dies before
 * dispatching, and the process that re-sends the dispatch dies before the request leaves.
 * The third process must still send it (the record must not claim a re-send that never went).
 */
function resendChain(): CrashPlan[] {
  let claimed: string | null = null;
  return [
    {
      name: "after the first claim",
      phase: "after",
      at: (w) => {
        claimed = claimedBranch(w);
        return claimed !== null;
      },
    },
    {
      name: "before re-sending that task's dispatch",
      phase: "before",
      at: (w) => WRITES.dispatch(w) && (w.params.inputs as { branch?: string } | undefined)?.branch === claimed,
    },
  ];
}
chains.push({ name: "re-send", crashes: resendChain() });

let sandbox: Sandbox | null = null;
let current: AppInstance | null = null;
afterEach(async () => {
  await current?.kill();
  await sandbox?.close();
  sandbox = null;
  current = null;
});

describe("killed at an effect boundary, restarted, swept", () => {
  it.each(chains)(
    "$name: every crash point is reached and the milestone still finishes with nothing duplicated",
    async ({ crashes }) => {
      const clock = scaledClock(300);
      sandbox = await createSandbox({ clock });
      const world = sandbox;
      current = await startAppInstance({ sandbox: world, clock, crash: crashes[0] });
      const milestone = openMilestone(world.state, world.repo, { title: "Reliability: crash and restart", body: TEN_TASK_BODY });
      comment(world.state, world.repo, milestone, "/architect plan", "maintainer");

      const reached: string[] = [];
      for (let i = 0; i < crashes.length; i++) {
        const plan = crashes[i] as CrashPlan;
        const crashed = await Promise.race([current.crashed.then((w) => w), sleep(30_000).then(() => null)]);
        expect(crashed, `crash point "${plan.name}" was never reached (reached so far: ${reached.join(", ") || "none"}; tasks: ${finalState(milestone).join("; ")})`).not.toBeNull();
        reached.push(plan.name);
        await current.kill();
        // A restarted process knows nothing: new Probot, new queue, new caches, then the startup sweep.
        current = await startAppInstance({ sandbox: world, clock, crash: crashes[i + 1] });
        await current.runtime.sweep();
      }
      expect(reached).toEqual(crashes.map((c) => c.name));

      const done = await waitFor(() => milestoneDone(milestone), 40_000);
      await world.settle({ timeoutMs: 5_000 });
      await current.runtime.idle();
      expect(done, `milestone not finished after the last restart: ${finalState(milestone).join("; ")}`).toBe(true);
      expect(finalState(milestone)).toEqual(expectedFinalState());
      expect(duplicateWork(world.repo, milestone)).toEqual([]);
      expect(world.actorErrors).toEqual([]);
    },
    120_000,
  );
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
