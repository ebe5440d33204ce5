import type { World } from "../emulator/state.js";
import { fromTable, type ActorScript } from "./script.js";
import { taskOfPull } from "./task-ref.js";
import type { ActorTimers } from "./timers.js";

/**
 * Plays CI: on every PR push (opened, synchronize, reopened) it queues `ci/test` on the
 * head commit as the `ci` App and completes it after a delay with the scripted conclusion.
 */
export function startCi(world: World, timers: ActorTimers, script: ActorScript["ci"] = {}, onError: (e: unknown) => void): () => void {
  const app = [...world.apps.values()].find((a) => a.slug === "ci") ?? world.createApp({ slug: "ci", name: "CI" });
  const name = script.checkName ?? "ci/test";
  const cycles = new Map<number, number>();
  return world.subscribe((event) => {
    if (event.name !== "pull_request" || !["opened", "synchronize", "reopened"].includes(event.action ?? "")) return;
    const repo = event.repo;
    const pull = event.data.pull!;
    const sha = pull.headSha;
    const cycle = (cycles.get(pull.id) ?? 0) + 1;
    cycles.set(pull.id, cycle);
    const task = taskOfPull(repo, pull);
    const ref = { task: task?.task ?? pull.issue.number, key: task?.key ?? null, attempt: cycle };
    const conclusion = script.behave?.(ref) ?? fromTable(script.byTask, ref) ?? "success";
    timers.after(
      0,
      () => {
        const run = world.createCheckRun(repo, app, { name, headSha: sha, status: "queued" });
        timers.after(
          script.delayMs ?? 30_000,
          () => world.updateCheckRun(repo, run.id, { conclusion, output: { title: conclusion === "success" ? "Tests passed" : "Tests failed", summary: `${name} ${conclusion}` } }),
          onError,
        );
      },
      onError,
    );
  });
}
