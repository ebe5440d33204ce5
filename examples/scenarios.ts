/**
 * The repository set-ups `npm run demo -- --scenario NAME` can show. Each one is a
 * milestone run in the sandbox on a repository configured the way many teams do it, and
 * passes only when the milestone completes with nothing duplicated.
 */
import type { MilestoneRun } from "../src/harness/run-milestone.js";
import type { Stack, StackOptions } from "../src/harness/stack.js";
import type { Repo } from "../src/sandbox/emulator/model.js";

export interface Scenario {
  name: string;
  /** One line for `--help` and the demo's header. */
  summary: string;
  stack: StackOptions;
  title: string;
  body: string;
  /** What the scenario proves, checked after the run; each string is a problem. */
  check(run: MilestoneRun, stack: Stack): string[];
  /** Lines about the scenario to print after the run. */
  report(run: MilestoneRun, stack: Stack): string[];
}

const taskList = (tasks: { key: string; dependsOn?: string[] }[]) =>
  "## Tasks\n\n" + tasks.map((t) => `- [ ] \`${t.key}\` Task ${t.key}\n  - scope: \`src/${t.key}/**\`${t.dependsOn?.length ? `\n  - depends on: ${t.dependsOn.map((d) => `\`${d}\``).join(", ")}` : ""}`).join("\n") + "\n";

function pullsOf(repo: Repo, run: MilestoneRun) {
  return run.tasks.map((t) => (t.pull ? repo.pulls.get(t.pull) : undefined)).filter((p) => p !== undefined);
}

export const SCENARIOS: Scenario[] = [
  {
    name: "merge-queue",
    summary: "the default branch requires a merge queue: PRs are enqueued, architect/dag reports on each merge group, a failed group goes back to its agent",
    stack: { repo: { mergeQueue: true }, repoConfig: "retries:\n  backoff_seconds: 5\n", actors: { ci: { byGroup: { api: ["failure", "success"] } } } },
    title: "Ship the orders API through the merge queue",
    body: taskList([{ key: "schema" }, { key: "api", dependsOn: ["schema"] }, { key: "docs" }]),
    check(run, stack) {
      const problems: string[] = [];
      for (const pull of pullsOf(stack.sandbox.repo, run)) {
        if (pull.mergedBy?.login !== "github-merge-queue[bot]") problems.push(`PR #${pull.issue.number} was not merged by the merge queue`);
      }
      if (stack.sandbox.emulator.requestLog.entries.some((e) => e.status === 405)) problems.push("a direct merge was attempted and refused (405)");
      return problems;
    },
    report(run, stack) {
      const repo = stack.sandbox.repo;
      const removals = pullsOf(repo, run).flatMap((p) => p.queueRemovals.map((r) => `PR #${p.issue.number} left the queue: ${r.reason}`));
      const groups = repo.checkRuns.filter((c) => c.name === "architect/dag" && ![...repo.pulls.values()].some((p) => p.headSha === c.headSha)).length;
      return [`architect/dag reported on ${groups} merge group head(s)`, ...removals];
    },
  },
  {
    name: "rulesets",
    summary: "the default branch is protected by a ruleset (required checks, one approval) and no classic protection; Architect reads the branch's rules",
    stack: { repo: { protection: "rulesets" } },
    title: "Ship the orders API under a ruleset",
    body: taskList([{ key: "schema" }, { key: "api", dependsOn: ["schema"] }, { key: "docs" }]),
    check(run, stack) {
      const problems: string[] = [];
      if (stack.sandbox.repo.protections.size > 0) problems.push("classic branch protection is set");
      for (const pull of pullsOf(stack.sandbox.repo, run)) {
        if (!pull.reviews.some((r) => r.state === "APPROVED")) problems.push(`PR #${pull.issue.number} merged without the approval the ruleset requires`);
      }
      if (!stack.sandbox.emulator.requestLog.entries.some((e) => e.endpoint.includes("/rules/branches/"))) problems.push("Architect never read the branch's rules");
      return problems;
    },
    report(_run, stack) {
      const repo = stack.sandbox.repo;
      return repo.rulesets.map((r) => `ruleset "${r.name}": ${r.rules.map((rule) => rule.type).join(", ")}`);
    },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
