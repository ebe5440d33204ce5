import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { createSandbox, type ActorScript, type Sandbox } from "../../src/sandbox/index.js";
import { ManualClock } from "./manual-clock.js";

let sandbox: Sandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

async function scenario(actors: ActorScript = {}) {
  const clock = new ManualClock();
  sandbox = await createSandbox({ clock, actors });
  const world = sandbox.state;
  const repo = sandbox.repo;
  const bot = sandbox.app.botUser;
  const task = world.createIssue(repo, { title: "Add login form", body: "task", user: bot });
  const dispatch = (attempt: number, mode = "initial") =>
    world.dispatchWorkflow(
      repo,
      "architect-agent.yml",
      "main",
      { task: String(task.number), milestone: "99", branch: `architect/${task.number}-login`, base: "main", run_key: `architect 99/${task.number}/${attempt}/${mode}`, agent: "claude", attempt: String(attempt), mode },
      bot,
    )!;
  return { clock, world, repo, task, dispatch, sb: sandbox };
}

describe("scripted actors", () => {
  it("agent opens the task PR, CI goes green, the reviewer approves the head", async () => {
    const { clock, world, repo, task, dispatch, sb } = await scenario({ agent: { durationMs: 60_000 }, ci: { delayMs: 30_000 }, reviewer: { delayMs: 5_000 } });
    const run = dispatch(1);
    clock.advance(1_000);
    expect(run.status).toBe("in_progress");
    clock.advance(60_000);
    expect(run.conclusion).toBe("success");
    const pull = world.pullsForBranch(repo, `architect/${task.number}-login`)[0]!;
    expect(pull.issue.user.login).toBe("architect-agent[bot]");
    expect(pull.issue.body).toContain(`Closes #${task.number}`);
    expect(decodeMarker("run", pull.issue.body)).toEqual({ task: task.number, runKey: `architect 99/${task.number}/1/initial` });
    clock.advance(30_000);
    expect(world.latestCheckRunsFor(repo, pull.headSha).map((r) => [r.name, r.conclusion])).toEqual([["ci/test", "success"]]);
    clock.advance(5_000);
    expect(pull.reviews.map((r) => [r.user.login, r.state, r.commitId])).toEqual([["reviewer", "APPROVED", pull.headSha]]);
    expect(sb.actorErrors).toEqual([]);
  });

  it("follows per-task scripts: a failed first attempt, red CI then green, changes requested then approval", async () => {
    const { clock, world, repo, task, dispatch, sb } = await scenario({
      agent: { byTask: { "1": ["fail", "success"] }, durationMs: 10_000 },
      ci: { byTask: { "1": ["failure", "success"] }, delayMs: 1_000 },
      reviewer: { byTask: { "1": ["request_changes", "approve"] }, delayMs: 1_000 },
    });
    expect(task.number).toBe(1);
    const first = dispatch(1);
    clock.advance(20_000);
    expect([first.conclusion, repo.pulls.size]).toEqual(["failure", 0]);
    dispatch(2, "retry");
    clock.advance(11_000);
    const pull = [...repo.pulls.values()][0]!;
    clock.advance(2_000);
    expect(world.latestCheckRunsFor(repo, pull.headSha)[0]!.conclusion).toBe("failure");
    expect(pull.reviews).toEqual([]);
    dispatch(3, "retry"); // pushes to the open PR: synchronize, CI cycle 2 passes
    clock.advance(11_000);
    clock.advance(2_000);
    expect(pull.reviews.map((r) => r.state)).toEqual(["CHANGES_REQUESTED"]);
    dispatch(4, "review");
    clock.advance(15_000);
    expect(pull.reviews.map((r) => r.state)).toEqual(["CHANGES_REQUESTED", "APPROVED"]);
    expect(repo.pulls.size).toBe(1);
    expect(sb.actorErrors).toEqual([]);
  });

  it("a stalled run never completes and a cancelled run does not push", async () => {
    const { clock, world, repo, dispatch, sb } = await scenario({ agent: { byTask: { "1": ["stall", "success"] }, durationMs: 5_000 } });
    const stalled = dispatch(1);
    clock.advance(3_600_000);
    expect(stalled.status).toBe("in_progress");
    world.cancelRun(repo, stalled);
    const second = dispatch(2);
    world.cancelRun(repo, second);
    clock.advance(10_000);
    expect([second.conclusion, repo.pulls.size]).toEqual(["cancelled", 0]);
    expect(sb.actorErrors).toEqual([]);
  });
});
