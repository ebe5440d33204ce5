/**
 * `npm run demo`: one milestone from `/architect plan` to every task merged, with the real
 * Probot app and Octokit talking HTTP to the embedded GitHub emulator, scripted agents,
 * CI and a reviewer. Exit code 0 only if every task is done.
 */
import { readFileSync } from "node:fs";
import { runMilestone, type TaskOutcome } from "../src/harness/run-milestone.js";
import { startStack } from "../src/harness/stack.js";
import { scaledClock } from "../src/shared/clock.js";

const SPEED = 300; // sandbox minutes pass 300× faster than real ones

async function main(): Promise<number> {
  const text = readFileSync(new URL("./milestone.md", import.meta.url), "utf8");
  const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? "Milestone";
  const body = text.replace(/^#\s+.+\n/, "").trim();
  const clock = scaledClock(SPEED);
  const started = clock.now();
  const at = () => `${((clock.now() - started) / 60_000).toFixed(1).padStart(5)} min`;

  console.log(`Architect demo — sandbox GitHub at ${SPEED}× speed; agents take ~1 min, CI and review a few seconds (sandbox time).`);
  const stack = await startStack({ clock });
  console.log(`  repository ${stack.sandbox.repo.owner.login}/${stack.sandbox.repo.name}: default branch protected (ci/test, architect/dag, 1 approval)`);
  console.log(`  maintainer opens "${title}" and comments /architect plan\n`);
  try {
    const run = await runMilestone(stack, {
      title,
      body,
      timeoutMs: 50_000,
      onChange: (task: TaskOutcome, previous) => {
        const pr = task.pull ? ` (PR #${task.pull})` : "";
        console.log(`  [${at()}] #${task.number} ${task.key.padEnd(18)} ${previous ? `${previous} → ` : ""}${task.state}${pr}`);
      },
    });
    printSummary(run, stack.sandbox.actorErrors);
    return run.allDone ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

function printSummary(run: Awaited<ReturnType<typeof runMilestone>>, actorErrors: unknown[]): void {
  console.log("\nSummary");
  console.log("  task                    state       PR");
  for (const t of run.tasks) console.log(`  #${String(t.number).padEnd(3)} ${t.key.padEnd(18)} ${t.state.padEnd(11)} ${t.pull ? `#${t.pull}${t.merged ? " merged" : ""}` : "-"}`);
  console.log(`\n  GitHub requests made by Architect: ${run.totalRequests} (${(run.totalRequests / Math.max(1, run.tasks.length)).toFixed(1)} per task)`);
  for (const [endpoint, count] of Object.entries(run.requests).sort((a, b) => b[1] - a[1])) console.log(`    ${String(count).padStart(4)}  ${endpoint}`);
  console.log(`\n  makespan: ${(run.makespanMs / 60_000).toFixed(1)} sandbox minutes`);
  if (actorErrors.length > 0) console.log(`  sandbox actor errors: ${actorErrors.length}`);
  console.log(run.allDone ? "\nAll tasks done." : "\nNot every task finished: see the states above.");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
