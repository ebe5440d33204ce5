import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { reconcileMilestone } from "../../src/app/reconcile.js";
import { loadDefaults } from "../../src/app/build-from-env.js";
import { ArchitectOctokit } from "../../src/app/octokit-class.js";
import { createOctokitGateway } from "../../src/github/octokit-gateway.js";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { silentLogger } from "../../src/app/logger.js";
import { appWrites, dispatchedBeforeDependencies, duplicates, peakConcurrentRuns, worldFacts } from "./invariants.js";

const milestoneText = readFileSync("examples/milestone.md", "utf8");
const milestoneBody = milestoneText.replace(/^#\s+.+\n/, "");

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

describe("a milestone end to end in the sandbox", () => {
  it("runs the example (diamond + parallel branch) to completion, never dispatching before dependencies merge", async () => {
    stack = await startStack();
    const run = await runMilestone(stack, { title: "Add user accounts", body: milestoneBody, timeoutMs: 40_000 });
    expect(run.tasks.map((t) => `${t.key}:${t.state}`)).toEqual(run.tasks.map((t) => `${t.key}:done`));
    expect(run.tasks.length).toBeGreaterThanOrEqual(6);
    expect(run.allDone).toBe(true);
    expect(dispatchedBeforeDependencies(stack.sandbox.repo, run.milestone)).toEqual([]);
    expect(duplicates(worldFacts(stack.sandbox.repo, run.milestone))).toEqual([]);
    expect(stack.sandbox.actorErrors).toEqual([]);
  });

  it("runs independent tasks in parallel, up to the milestone cap and no further", async () => {
    const independent = ["a", "b", "c", "d", "e"].map((k) => `- [ ] \`${k}\` Task ${k}\n  - scope: \`src/${k}/**\``).join("\n");
    stack = await startStack({ repoConfig: "caps:\n  milestone: 2\n" });
    const run = await runMilestone(stack, { title: "Five independent tasks", body: `## Tasks\n\n${independent}\n`, timeoutMs: 40_000 });
    expect(run.allDone).toBe(true);
    expect(peakConcurrentRuns(stack.sandbox.repo)).toBe(2);
  });

  it("makes zero writes when reconciling an unchanged world a second time", async () => {
    stack = await startStack();
    const run = await runMilestone(stack, { title: "Add user accounts", body: milestoneBody, timeoutMs: 40_000 });
    expect(run.allDone).toBe(true);
    const log = stack.sandbox.emulator.requestLog;
    const registration = stack.sandbox.registerApp();
    const { Probot } = await import("probot");
    const probot = new Probot({ appId: registration.appId, privateKey: registration.privateKeyPem, baseUrl: registration.baseUrl, Octokit: ArchitectOctokit, secret: "x" });
    const octokit = await probot.auth(registration.installationId);
    const gateway = createOctokitGateway({ octokit, owner: stack.sandbox.repo.owner.login, repo: stack.sandbox.repo.name, clock: stack.clock, log: silentLogger });
    const config = loadDefaults().config;
    const env = { gateway, config, clock: stack.clock, log: silentLogger, botLogin: "architect[bot]" };
    await reconcileMilestone(env, run.milestone.number);
    const before = log.entries.length;
    const report = await reconcileMilestone(env, run.milestone.number);
    expect(report.snapshot).not.toBeNull();
    expect(appWrites(log.entries.slice(before))).toBe(0);
  });

  it("creates no duplicate issue, branch, dispatch or comment when every webhook is delivered twice", async () => {
    stack = await startStack({ delivery: { duplicateRate: 1, seed: 7 } });
    const run = await runMilestone(stack, { title: "Add user accounts", body: milestoneBody, timeoutMs: 40_000 });
    expect(run.allDone).toBe(true);
    expect(stack.sandbox.webhooks.log.filter((r) => r.copy > 1).length).toBeGreaterThan(10);
    expect(duplicates(worldFacts(stack.sandbox.repo, run.milestone))).toEqual([]);
  });

  it("refuses /architect plan from a user without write access, with a reply, and creates nothing", async () => {
    stack = await startStack();
    stack.sandbox.state.setCollaborator(stack.sandbox.repo, "visitor", "read");
    const milestone = stack.openMilestone("Add user accounts", milestoneBody);
    stack.comment(milestone, "/architect plan", "visitor");
    await stack.settle();
    const bot = milestone.comments.filter((c) => c.user.login.endsWith("[bot]"));
    expect(bot).toHaveLength(1);
    expect(bot[0]?.body).toMatch(/only people with write access/);
    expect(milestone.subIssues).toHaveLength(0);
    expect([...stack.sandbox.repo.branches.keys()].filter((b) => b.startsWith("architect/"))).toEqual([]);
    expect(stack.sandbox.repo.runs.size).toBe(0);
  });

  it("answers a task list with a cycle by naming the cycle, and creates nothing", async () => {
    stack = await startStack();
    const body = "## Tasks\n\n- [ ] `a` A\n  - depends on: `c`\n- [ ] `b` B\n  - depends on: `a`\n- [ ] `c` C\n  - depends on: `b`\n";
    const milestone = stack.openMilestone("Cyclic", body);
    stack.comment(milestone, "/architect plan");
    await stack.settle();
    const bot = milestone.comments.filter((c) => c.user.login.endsWith("[bot]"));
    expect(bot).toHaveLength(1);
    expect(bot[0]?.body).toMatch(/cycle: (a → c → b → a|b → a → c → b|c → b → a → c)/);
    expect(milestone.subIssues).toHaveLength(0);
    expect(stack.sandbox.repo.runs.size).toBe(0);
  });
});
