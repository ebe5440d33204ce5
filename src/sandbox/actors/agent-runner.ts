import { encodeMarker } from "../../core/markers/markers.js";
import type { World, WorldEvent, WorkflowRun, Repo, User } from "../emulator/state.js";
import { fromTable, type ActorScript, type AgentBehaviour } from "./script.js";
import { pathInScope, taskMarkerOf } from "./task-ref.js";
import type { ActorTimers } from "./timers.js";

/**
 * Plays the agent workflow: for each dispatched agent run it starts, pushes a commit to the
 * claim branch, opens the task PR as `architect-agent[bot]` (or just pushes when one is
 * open, which GitHub reports as `synchronize`), and completes — or fails, stalls, or
 * skips the PR when the script says so.
 */
export function startAgentRunner(world: World, timers: ActorTimers, script: ActorScript["agent"] = {}, onError: (e: unknown) => void): () => void {
  const bot = world.getUser("architect-agent[bot]") ?? world.createApp({ slug: "architect-agent", name: "Architect agent" }).botUser;
  return world.subscribe((event) => {
    if (event.name !== "workflow_run" || event.action !== "requested") return;
    const run = event.data.run!;
    if (script.workflowPath ? !run.workflow.path.endsWith(script.workflowPath) : !(run.inputs.task && run.inputs.branch)) return;
    const key = taskMarkerOf(event.repo.issues.get(Number(run.inputs.task)))?.key ?? null;
    const behaviour = behaviourFor(run, script, key);
    timers.after(
      script.startDelayMs ?? 1_000,
      () => {
        // The reference workflow prints the correlation id first (see .github/workflows/architect-agent.yml).
        (run.log ??= []).push(`correlation id: ${run.inputs.correlation_id || "none"}`, `run ${run.inputs.run_key ?? run.displayTitle}: agent started`);
        world.startRun(event.repo, run);
      },
      onError,
    );
    if (behaviour.outcome === "stall") return;
    const duration = (script.startDelayMs ?? 1_000) + (behaviour.durationMs ?? script.durationMs ?? 60_000);
    timers.after(duration, () => finish(world, event, run, behaviour, bot), onError);
  });
}

function behaviourFor(run: WorkflowRun, script: NonNullable<ActorScript["agent"]>, key: string | null): AgentBehaviour {
  const ref = { task: Number(run.inputs.task), key, attempt: Math.max(1, Number(run.inputs.attempt ?? 1) || 1) };
  const chosen = script.behave?.({ ...ref, mode: run.inputs.mode ?? "initial", runTitle: run.inputs.run_key ?? run.displayTitle }) ?? fromTable(script.byTask, ref);
  if (!chosen) return { outcome: "success" };
  return typeof chosen === "string" ? { outcome: chosen } : chosen;
}

function finish(world: World, event: WorldEvent, run: WorkflowRun, behaviour: AgentBehaviour, bot: User): void {
  const repo: Repo = event.repo;
  if (run.status === "completed") return; // cancelled meanwhile
  if (behaviour.outcome === "fail") return world.completeRun(repo, run, "failure");
  const task = Number(run.inputs.task);
  const issue = repo.issues.get(task);
  const marker = taskMarkerOf(issue);
  const branch = run.inputs.branch!;
  const base = run.inputs.base || repo.defaultBranch;
  if (!repo.branches.has(branch)) repo.branches.set(branch, repo.branches.get(base)!);
  const path = pathInScope(marker?.scope, task, marker?.key ?? null);
  const previous = world.readFile(repo, path, branch) ?? "";
  const files = behaviour.files ?? { [path]: `${previous}attempt ${run.inputs.attempt ?? "1"} of ${run.inputs.run_key ?? run.displayTitle}\n` };
  world.pushCommit(repo, branch, files, `Task #${task}: ${issue?.title ?? "work"} (${run.inputs.mode ?? "initial"})`, bot);
  const open = world.pullsForBranch(repo, branch).find((p) => p.issue.state === "open");
  if (!open && behaviour.outcome !== "no-pr") {
    const runKey = (run.inputs.run_key ?? run.displayTitle).slice(0, 100);
    const correlationId = /^m[0-9]{1,12}-t[0-9]{1,10}$/.test(run.inputs.correlation_id ?? "") ? run.inputs.correlation_id : undefined;
    world.openPull(repo, {
      title: issue ? `${issue.title}` : `Task #${task}`,
      body: `Closes #${task}\n\nOpened by the Architect agent run ${runKey}.\n\n${encodeMarker("run", { task, runKey, ...(correlationId ? { correlationId } : {}) })}`,
      head: branch,
      base,
      user: bot,
    });
  }
  (run.log ??= []).push(`run ${run.inputs.run_key ?? run.displayTitle}: agent finished (success)`);
  world.completeRun(repo, run, "success");
}
