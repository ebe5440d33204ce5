import type { Repo, World } from "../emulator/state.js";
import { fromTable, type ActorScript } from "./script.js";
import { taskOfPull } from "./task-ref.js";
import type { ActorTimers } from "./timers.js";

/**
 * Plays CI: on every PR push (opened, synchronize, reopened) it queues `ci/test` on the
 * head commit as the `ci` App and completes it after a delay with the scripted conclusion.
 * It also runs on merge groups (`merge_group.checks_requested`), on the group's head, as a
 * workflow with `on: merge_group` would; `byGroup` scripts those per task and group.
 */
export function startCi(world: World, timers: ActorTimers, script: ActorScript["ci"] = {}, onError: (e: unknown) => void): () => void {
  const app = [...world.apps.values()].find((a) => a.slug === "ci") ?? world.createApp({ slug: "ci", name: "CI" });
  const name = script.checkName ?? "ci/test";
  const cycles = new Map<number, number>();
  const groups = new Map<number, number>();
  const report = (repo: Repo, sha: string, conclusion: "success" | "failure") =>
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
  return world.subscribe((event) => {
    if (event.name === "merge_group" && event.action === "checks_requested") {
      const group = event.data.mergeGroup!;
      const pull = group.entry.pull;
      const cycle = (groups.get(pull.id) ?? 0) + 1;
      groups.set(pull.id, cycle);
      const task = taskOfPull(event.repo, pull);
      const ref = { task: task?.task ?? pull.issue.number, key: task?.key ?? null, attempt: cycle };
      report(event.repo, group.headSha, fromTable(script.byGroup, ref) ?? "success");
      return;
    }
    if (event.name !== "pull_request" || !["opened", "synchronize", "reopened"].includes(event.action ?? "")) return;
    const repo = event.repo;
    const pull = event.data.pull!;
    const cycle = (cycles.get(pull.id) ?? 0) + 1;
    cycles.set(pull.id, cycle);
    const task = taskOfPull(repo, pull);
    const ref = { task: task?.task ?? pull.issue.number, key: task?.key ?? null, attempt: cycle };
    report(repo, pull.headSha, script.behave?.(ref) ?? fromTable(script.byTask, ref) ?? "success");
  });
}
