import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { comment, createSandbox, openMilestone, type DeliveryOptions, type Sandbox } from "../../src/sandbox/index.js";
import { scaledClock } from "../../src/shared/clock.js";
import { startAppInstance, type AppInstance } from "./support/app-instance.js";
import { duplicateWork, expectedFinalState, finalState, milestoneDone, TEN_TASK_BODY, waitFor } from "./support/milestone.js";

/**
 * Issue #5, reliability 4 (CR-2): GitHub does not redeliver on its own. Once the plan is
 * recorded, every webhook is lost; the periodic resync alone (no webhook, no wake-up from
 * outside) must carry the milestone to the end — also across a restart, where the new
 * process only has its startup sweep to find the milestone.
 */
const RESYNC_MS = 120_000; // two sandbox minutes = 0.4 s of real time at 300×

let sandbox: Sandbox | null = null;
const instances: AppInstance[] = [];
afterEach(async () => {
  for (const instance of instances.splice(0)) await instance.kill();
  await sandbox?.close();
  sandbox = null;
});

describe("every webhook dropped after the plan command", () => {
  it.each([
    { restart: false, name: "the periodic resync finishes the milestone" },
    { restart: true, name: "after a restart, the startup sweep and the resync finish the milestone" },
  ])("$name", async ({ restart }) => {
    const clock = scaledClock(300);
    // The deliverer reads this object on every event, so the test can cut delivery mid-run.
    const delivery: DeliveryOptions = { dropRate: 0, seed: 5 };
    sandbox = await createSandbox({ clock, delivery });
    const world = sandbox;
    let app = await startAppInstance({ sandbox: world, clock, app: { resyncMs: RESYNC_MS } });
    instances.push(app);
    const milestone = openMilestone(world.state, world.repo, { title: "Reliability: dropped webhooks", body: TEN_TASK_BODY });
    comment(world.state, world.repo, milestone, "/architect plan", "maintainer");

    const planned = await waitFor(() => milestone.comments.some((c) => decodeMarker("control", c.body) !== null), 20_000);
    expect(planned, "the plan command was answered with a control record").toBe(true);
    delivery.dropRate = 1;
    const cutAt = world.webhooks.log.length;
    if (restart) {
      await app.kill();
      app = await startAppInstance({ sandbox: world, clock, app: { resyncMs: RESYNC_MS } });
      instances.push(app);
      await app.runtime.sweep();
    }

    const done = await waitFor(() => milestoneDone(milestone), 60_000);
    expect(done, `milestone not finished: ${finalState(milestone).join("; ")}`).toBe(true);
    const after = world.webhooks.log.slice(cutAt);
    expect(after.length, "the world kept producing events").toBeGreaterThan(20);
    expect(after.filter((r) => r.status !== "dropped")).toEqual([]);
    expect(finalState(milestone)).toEqual(expectedFinalState());
    expect(duplicateWork(world.repo, milestone)).toEqual([]);
    expect(world.actorErrors).toEqual([]);
  }, 90_000);
});
