import { runSoak, soakLine, soakPassed, type SoakOptions } from "../../src/harness/soak.js";

/**
 * `npm run soak`: a simulated month in the sandbox (issue #10 §5). Prints the figures and
 * ends with one `soak: …` line; exits 0 only when every milestone completed with no
 * duplicate, nothing stuck and no stale claim branch.
 *
 *   npm run soak                 12 milestones × 52 tasks over 30 sandbox days
 *   npm run soak -- --seed 7     another reproducible schedule
 *   npm run soak -- --quick      the short variant `npm test` runs
 */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
export const FULL: Omit<SoakOptions, "seed"> = { milestones: 12, tasksPerMilestone: 52, days: 30, otherRuns: 210, otherLabels: 160, crashesPerMilestone: 1, faultRate: 0.02 };
export const QUICK: Omit<SoakOptions, "seed"> = { milestones: 2, tasksPerMilestone: 4, days: 2, otherRuns: 30, otherLabels: 150, crashesPerMilestone: 1, faultRate: 0.02 };

const options: SoakOptions = { ...(quick ? QUICK : FULL), seed: Number(flag("--seed") ?? 1), log: (line) => console.log(line) };
const result = await runSoak(options);
console.log(
  [
    `seed ${options.seed}: ${result.milestones} milestones over ${result.sandboxDays.toFixed(1)} sandbox days in ${(result.wallMs / 1000).toFixed(0)} s`,
    `  tasks ${result.tasks}, claim branches created ${result.claimBranches}, workflow runs ${result.workflowRuns} (other workflows ${result.otherWorkflowRuns}), labels ${result.labels}`,
    `  app restarts ${result.crashes}, injected faults fired ${result.faultsFired}, app requests ${result.appRequests}`,
    ...result.duplicates.slice(0, 20).map((d) => `  duplicate: ${d}`),
    ...result.stuck.slice(0, 20).map((d) => `  stuck: ${d}`),
    ...result.staleBranches.slice(0, 20).map((d) => `  stale branch: ${d}`),
  ].join("\n"),
);
console.log(soakLine(result));
process.exit(soakPassed(result) ? 0 : 1);
