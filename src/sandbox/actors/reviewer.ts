import type { World } from "../emulator/state.js";
import { fromTable, type ActorScript } from "./script.js";
import { taskOfPull } from "./task-ref.js";
import type { ActorTimers } from "./timers.js";

/**
 * Plays a human reviewer with write access: once a PR's `ci/test` is green on the current
 * head, it approves that sha (or requests changes when the script says so for this cycle).
 */
export function startReviewer(
  world: World,
  timers: ActorTimers,
  script: ActorScript["reviewer"] = {},
  checkName: string,
  onError: (e: unknown) => void,
): () => void {
  const login = script.login ?? "reviewer";
  return world.subscribe((event) => {
    if (event.name !== "check_run" || event.action !== "completed") return;
    const run = event.data.checkRun!;
    if (run.name !== checkName || run.conclusion !== "success") return;
    const repo = event.repo;
    if (!world.hasPermission(repo, login, "write")) world.setCollaborator(repo, login, "write");
    const user = world.getUser(login)!;
    for (const pull of world.pullsForSha(repo, run.headSha)) {
      if (pull.issue.user === user) continue;
      if (pull.reviews.some((r) => r.user === user && r.commitId === pull.headSha && r.state !== "COMMENTED")) continue;
      const cycle = pull.reviews.filter((r) => r.user === user).length + 1;
      const task = taskOfPull(repo, pull);
      const ref = { task: task?.task ?? pull.issue.number, key: task?.key ?? null, attempt: cycle };
      const verdict = script.behave?.(ref) ?? fromTable(script.byTask, ref) ?? "approve";
      if (verdict === "none") continue;
      const sha = pull.headSha;
      timers.after(
        script.delayMs ?? 10_000,
        () => {
          if (pull.issue.state !== "open" || pull.headSha !== sha) return; // moved on meanwhile
          world.submitReview(repo, pull, {
            user,
            event: verdict === "approve" ? "APPROVE" : "REQUEST_CHANGES",
            body: verdict === "approve" ? "" : `Please address review cycle ${cycle}: add a test for the edge case.`,
            commitId: sha,
          });
        },
        onError,
      );
    }
  });
}
