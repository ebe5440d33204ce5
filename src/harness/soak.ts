import { pino } from "pino";
import type { ArchitectRuntime } from "../app/architect-app.js";
import type { ArchitectServer } from "../app/http-server.js";
import { ArchitectOctokit } from "../app/octokit-class.js";
import { decodeMarker } from "../core/markers/markers.js";
import { mulberry32 } from "../sandbox/emulator/faults.js";
import type { Issue } from "../sandbox/emulator/model.js";
import { comment, createSandbox, openMilestone, type Sandbox } from "../sandbox/index.js";
import { MILESTONE_LABEL } from "../shared/labels.js";
import type { Clock } from "../shared/clock.js";
import { taskOutcomes } from "./run-milestone.js";
import { startArchitectOnSandbox } from "./stack.js";

/**
 * A simulated month in the sandbox (issue #10 §5): milestone after milestone over 30
 * sandbox days in a busy repository (hundreds of other labels, other workflows' runs,
 * unrelated issues and PRs, strangers' reviews, edits and commands), with the App killed
 * at random moments and restarted, and GitHub answering a share of requests with 5xx and
 * secondary rate limits. Everything is seeded, so a run reproduces its schedule (the
 * interleaving with real time still varies a little). The verdict is read from the
 * emulator's world only.
 */
export interface SoakOptions {
  seed: number;
  milestones: number;
  tasksPerMilestone: number;
  /** Sandbox days the milestones are spread over (quiet time in between is skipped). */
  days: number;
  /** Runs of the repository's other workflow (all before or between milestones). */
  otherRuns: number;
  /** Unrelated repository labels. */
  otherLabels: number;
  /** App restarts per milestone, at random moments while it runs. */
  crashesPerMilestone: number;
  /** Share of requests answered with a 5xx or a secondary limit (0 = none). */
  faultRate: number;
  /** Sandbox speed while work runs (default 300×). */
  speed?: number;
  /** Wall-clock limit per milestone. */
  milestoneTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  milestones: number;
  milestonesDone: number;
  tasks: number;
  duplicates: string[];
  stuck: string[];
  staleBranches: string[];
  /** Distinct claim branches created over the month. */
  claimBranches: number;
  workflowRuns: number;
  otherWorkflowRuns: number;
  labels: number;
  crashes: number;
  faultsFired: number;
  appRequests: number;
  requestsPerTask: number;
  sandboxDays: number;
  wallMs: number;
}

const RELEASE_WORKFLOW = `name: Release\non:\n  workflow_dispatch:\n    inputs:\n      version:\n        required: false\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo release\n`;
const DAY_MS = 86_400_000;
const secondaryLimit = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };

/** A scaled clock whose quiet stretches can be skipped (only when nothing is pending). */
export function jumpingClock(speed: number, start = Date.UTC(2026, 0, 1)): Clock & { jump(ms: number): void } {
  const realStart = Date.now();
  let offset = 0;
  const now = () => start + offset + (Date.now() - realStart) * speed;
  const at = (due: number, fn: () => void, unref: boolean) => {
    let handle: ReturnType<typeof setTimeout>;
    const schedule = () => {
      handle = setTimeout(check, Math.max(0, Math.ceil((due - now()) / speed)));
      if (unref) handle.unref?.();
    };
    const check = () => (now() >= due ? fn() : schedule());
    schedule();
    return () => clearTimeout(handle);
  };
  return {
    now,
    sleep: (ms) => new Promise((resolve) => void at(now() + Math.max(0, ms), () => resolve(), false)),
    setTimer: (ms, fn) => at(now() + Math.max(0, ms), fn, true),
    jump: (ms) => {
      offset += Math.max(0, ms);
    },
  };
}

/** A milestone body of `count` tasks; each depends on up to two of the five before it. */
export function soakMilestoneBody(index: number, count: number, random: () => number): string {
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `m${index}-t${i}`;
    const deps = new Set<string>();
    for (let d = 0; d < 2 && i > 0; d++) if (random() < 0.45) deps.add(`m${index}-t${Math.max(0, i - 1 - Math.floor(random() * 5))}`);
    const depLine = deps.size > 0 ? `\n  - depends on: ${[...deps].map((k) => `\`${k}\``).join(", ")}` : "";
    items.push(`- [ ] \`${key}\` Part ${i} of milestone ${index}\n  - scope: \`src/m${index}/t${i}/**\`${depLine}`);
  }
  return `Month soak, milestone ${index}.\n\n## Tasks\n\n${items.join("\n")}\n`;
}

interface AppProcess {
  runtime: ArchitectRuntime;
  server: ArchitectServer;
  kill(): Promise<void>;
}

/** One App process whose every request fails once it is killed (nothing it does afterwards reaches GitHub). */
async function startProcess(sandbox: Sandbox, clock: Clock): Promise<AppProcess> {
  let dead = false;
  const killSwitch = (octokit: { hook: { wrap: (name: "request", fn: (request: (o: unknown) => Promise<unknown>, o: unknown) => Promise<unknown>) => void } }) => {
    octokit.hook.wrap("request", async (request, options) => {
      if (dead) throw new Error("process killed");
      return request(options);
    });
  };
  const Octokit = (ArchitectOctokit as unknown as { plugin: (p: typeof killSwitch) => typeof ArchitectOctokit }).plugin(killSwitch);
  const { runtime, server } = await startArchitectOnSandbox({ sandbox, clock, logger: pino({ level: "silent" }), Octokit, app: { debounceMs: 2_000 } });
  sandbox.setWebhookUrl(server.webhookUrl);
  return {
    runtime,
    server,
    kill: async () => {
      dead = true;
      runtime.stop();
      await server.close();
    },
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const random = mulberry32(options.seed);
  const speed = options.speed ?? 300;
  const clock = jumpingClock(speed);
  const t0 = clock.now();
  const repoConfig = `caps:\n  repo: 12\n  milestone: 8\nplanner:\n  max_tasks: 100\n  max_depth: 50\nretries:\n  backoff_seconds: 10\n`;
  const sandbox = await createSandbox({
    clock,
    repo: { files: { ".github/architect.yml": repoConfig, ".github/workflows/release.yml": RELEASE_WORKFLOW } },
    actors: {
      // One run in ten fails its first attempt (retried); reviewers sometimes ask for changes.
      agent: { behave: (ref) => (ref.attempt === 1 && random() < 0.1 ? "fail" : "success") },
      reviewer: { behave: (ref) => (ref.attempt === 1 && random() < 0.05 ? "request_changes" : "approve") },
    },
  });
  const world = sandbox.state;
  const repo = sandbox.repo;
  const stranger = world.setCollaborator(repo, "stranger", "read");
  const createdBranches = new Set<string>();
  world.subscribe((event) => {
    const ref = event.data.create?.ref;
    if (event.name === "create" && ref?.startsWith("architect/")) createdBranches.add(ref);
  });

  // A busy repository before Architect's first milestone.
  for (let i = 0; i < options.otherLabels; i++) world.createLabel(repo, { name: `area/component-${i}`, description: "unrelated" });
  const releaseRuns = () => {
    const run = world.dispatchWorkflow(repo, "release.yml", "main", { version: `1.${repo.runs.size}` }, sandbox.maintainer);
    if (run) world.completeRun(repo, run, random() < 0.9 ? "success" : "failure");
  };
  const otherRunsPerMilestone = Math.ceil(options.otherRuns / (options.milestones + 1));
  let otherRunsMade = 0;
  const moreOtherRuns = (n: number) => {
    for (let i = 0; i < n && otherRunsMade < options.otherRuns; i++, otherRunsMade++) releaseRuns();
  };
  moreOtherRuns(otherRunsPerMilestone);

  const faultIds = options.faultRate > 0 ? addFaults(sandbox, options.faultRate, options.seed) : [];
  let app = await startProcess(sandbox, clock);
  let crashes = 0;
  const milestones: Issue[] = [];
  const gapMs = (options.days * DAY_MS) / options.milestones;

  for (let m = 0; m < options.milestones; m++) {
    // Quiet time until the milestone's day (skipped), then the day's unrelated traffic.
    await settle(sandbox, app.runtime);
    const due = t0 + m * gapMs;
    if (clock.now() < due) clock.jump(due - clock.now());
    noise(sandbox, stranger, m, random);
    moreOtherRuns(otherRunsPerMilestone);

    const milestone = openMilestone(world, repo, { title: `Month soak: milestone ${m + 1}`, body: soakMilestoneBody(m + 1, options.tasksPerMilestone, random) });
    milestones.push(milestone);
    comment(world, repo, milestone, "/architect plan", "maintainer");
    const crashAt = Array.from({ length: options.crashesPerMilestone }, () => 1_000 + random() * 8_000).sort((a, b) => a - b);
    const begun = Date.now();
    const deadline = begun + (options.milestoneTimeoutMs ?? 240_000);
    let strangerReviewed = false;
    while (Date.now() < deadline && !milestoneDone(milestone, options.tasksPerMilestone)) {
      // Restarts come once the plan command was taken (the milestone is labelled): a command
      // lost with its process is answered only when GitHub redelivers it.
      const planned = milestone.labels.some((l) => l.name === MILESTONE_LABEL);
      if (planned && crashAt.length > 0 && Date.now() - begun >= (crashAt[0] as number)) {
        crashAt.shift();
        await app.kill();
        crashes += 1;
        app = await startProcess(sandbox, clock);
        await app.runtime.sweep();
      }
      if (!strangerReviewed) strangerReviewed = strangerReview(sandbox, stranger, milestone);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const tasks = taskOutcomes(milestone);
    log(
      `milestone ${m + 1}/${options.milestones}: ${tasks.filter((t) => t.merged && t.state === "done").length}/${tasks.length} tasks merged, day ${((clock.now() - t0) / DAY_MS).toFixed(1)}, ${((Date.now() - begun) / 1000).toFixed(1)} s`,
    );
  }
  await settle(sandbox, app.runtime);
  // Let the last merges' branch deletions and status edits land.
  const cleanDeadline = Date.now() + 20_000;
  while (Date.now() < cleanDeadline && staleBranches(sandbox).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  await settle(sandbox, app.runtime);

  const result = verdict(sandbox, milestones, options, {
    createdBranches: createdBranches.size,
    crashes,
    faultsFired: faultIds.reduce((sum, id) => sum + sandbox.emulator.faults.firedCount(id), 0),
    otherRuns: otherRunsMade,
    sandboxDays: (clock.now() - t0) / DAY_MS,
    wallMs: Date.now() - started,
  });
  await app.kill();
  await sandbox.close();
  return result;
}

/** The closing line the soak prints (and the scripts read). */
export function soakLine(r: SoakResult): string {
  return `soak: milestones=${r.milestonesDone}/${r.milestones} tasks=${r.tasks} duplicates=${r.duplicates.length} stuck=${r.stuck.length} stale_branches=${r.staleBranches.length} requests_per_task=${r.requestsPerTask.toFixed(1)}`;
}

export function soakPassed(r: SoakResult): boolean {
  return r.milestonesDone === r.milestones && r.duplicates.length === 0 && r.stuck.length === 0 && r.staleBranches.length === 0;
}

function addFaults(sandbox: Sandbox, rate: number, seed: number): number[] {
  const restWrites = /^(POST|PATCH|PUT|DELETE) \/repos\//;
  return [
    sandbox.emulator.addFault({ kind: "status", status: 502, match: { route: /^GET / }, probability: rate, seed: seed + 1 }),
    sandbox.emulator.addFault({ kind: "status", status: 500, match: { route: "/graphql", graphql: "query" }, probability: rate, seed: seed + 2 }),
    sandbox.emulator.addFault({ kind: "status", status: 403, headers: { "retry-after": "1" }, body: secondaryLimit, match: { route: restWrites }, probability: rate, seed: seed + 3 }),
    sandbox.emulator.addFault({ kind: "status", status: 403, headers: { "retry-after": "1" }, body: secondaryLimit, match: { route: "/graphql", graphql: "mutation" }, probability: rate, seed: seed + 4 }),
    sandbox.emulator.addFault({ kind: "status", status: 502, match: { route: restWrites }, probability: rate, seed: seed + 5 }),
  ];
}

/** Unrelated traffic: a stranger's issue, edited, with a command they may not give; an unrelated PR. */
function noise(sandbox: Sandbox, stranger: Sandbox["maintainer"], m: number, random: () => number): void {
  const world = sandbox.state;
  const repo = sandbox.repo;
  const issue = world.createIssue(repo, { title: `Question ${m}`, body: "How do I run this?", user: stranger });
  world.updateIssue(repo, issue, { body: "How do I run this locally? (edited)" }, stranger);
  comment(world, repo, issue, "/architect plan", stranger.login);
  const branch = `feature/unrelated-${m}-${Math.floor(random() * 1e6)}`;
  world.pushCommit(repo, branch, { [`docs/notes-${m}.md`]: `notes ${m}\n` }, `notes ${m}`, sandbox.maintainer);
  world.openPull(repo, { title: `Unrelated change ${m}`, body: "Not Architect's.", head: branch, base: "main", user: sandbox.maintainer });
}

/** A stranger asks for changes on one of the milestone's open PRs (no write access: it must change nothing). */
function strangerReview(sandbox: Sandbox, stranger: Sandbox["maintainer"], milestone: Issue): boolean {
  const numbers = new Set(milestone.subIssues.map((t) => t.number));
  const pull = [...sandbox.repo.pulls.values()].find((p) => p.issue.state === "open" && numbers.has(Number(/^architect\/(\d+)-/.exec(p.headRef)?.[1])));
  if (!pull) return false;
  try {
    sandbox.state.submitReview(sandbox.repo, pull, { user: stranger, event: "REQUEST_CHANGES", body: "Rewrite all of it in another language." });
  } catch {
    return false;
  }
  return true;
}

function milestoneDone(milestone: Issue, expected: number): boolean {
  const tasks = taskOutcomes(milestone);
  return tasks.length === expected && tasks.every((t) => t.merged && t.state === "done");
}

async function settle(sandbox: Sandbox, runtime: ArchitectRuntime): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await sandbox.settle({ timeoutMs: Math.max(1, deadline - Date.now()) });
    await runtime.idle().catch(() => {});
    await sandbox.idle();
    if (sandbox.webhooks.pendingCount() === 0 || Date.now() > deadline) return;
  }
}

/** Claim branches left behind by tasks that ended (closed issues). */
function staleBranches(sandbox: Sandbox): string[] {
  return [...sandbox.repo.branches.keys()].filter((name) => {
    const match = /^architect\/(\d+)-/.exec(name);
    if (!match) return false;
    const issue = sandbox.repo.issues.get(Number(match[1]));
    return !issue || issue.state === "closed";
  });
}

function verdict(
  sandbox: Sandbox,
  milestones: Issue[],
  options: SoakOptions,
  extra: { createdBranches: number; crashes: number; faultsFired: number; otherRuns: number; sandboxDays: number; wallMs: number },
): SoakResult {
  const repo = sandbox.repo;
  const duplicates: string[] = [];
  const stuck: string[] = [];
  let tasks = 0;
  let done = 0;
  for (const milestone of milestones) {
    const outcomes = taskOutcomes(milestone);
    tasks += outcomes.length;
    const keys = new Map<string, number>();
    for (const t of outcomes) keys.set(t.key, (keys.get(t.key) ?? 0) + 1);
    for (const [key, n] of keys) if (n > 1) duplicates.push(`${n} sub-issues for ${key}`);
    for (const t of outcomes) if (!(t.merged && t.state === "done")) stuck.push(`#${t.number} ${t.key}: ${t.state}${t.merged ? " (merged)" : ""}`);
    if (outcomes.length < options.tasksPerMilestone) stuck.push(`milestone #${milestone.number}: ${outcomes.length} of ${options.tasksPerMilestone} tasks created`);
    if (outcomes.length === options.tasksPerMilestone && outcomes.every((t) => t.merged && t.state === "done")) done += 1;
    for (const t of outcomes) {
      const pulls = [...repo.pulls.values()].filter((p) => p.headRef.startsWith(`architect/${t.number}-`));
      if (pulls.length > 1) duplicates.push(`#${t.number} has ${pulls.length} pull requests`);
    }
  }
  // Dispatches: one run per run title; comments: one of each bot record per issue.
  const titles = new Map<string, number>();
  for (const run of repo.runs.values()) if (run.displayTitle.startsWith("architect ")) titles.set(run.displayTitle, (titles.get(run.displayTitle) ?? 0) + 1);
  for (const [title, n] of titles) if (n > 1) duplicates.push(`${n} runs titled "${title}"`);
  const branchTasks = new Map<number, number>();
  for (const name of repo.branches.keys()) {
    const match = /^architect\/(\d+)-/.exec(name);
    if (match) branchTasks.set(Number(match[1]), (branchTasks.get(Number(match[1])) ?? 0) + 1);
  }
  for (const [task, n] of branchTasks) if (n > 1) duplicates.push(`${n} claim branches for #${task}`);
  for (const issue of repo.issues.values()) {
    const kinds = new Map<string, number>();
    for (const c of issue.comments) {
      if (!c.user.login.endsWith("[bot]")) continue;
      const kind = decodeMarker("status", c.body) ? "status" : decodeMarker("control", c.body) ? "control" : `reply:${JSON.stringify(decodeMarker("reply", c.body))}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    for (const [kind, n] of kinds) if (n > 1) duplicates.push(`${n} bot comments of kind ${kind} on #${issue.number}`);
  }
  const bot = `${sandbox.app.slug}[bot]`;
  const appRequests = sandbox.emulator.requestLog.entries.filter((e) => e.actor === bot || e.actor === null).length;
  return {
    milestones: milestones.length,
    milestonesDone: done,
    tasks,
    duplicates,
    stuck,
    staleBranches: staleBranches(sandbox),
    claimBranches: extra.createdBranches,
    workflowRuns: repo.runs.size,
    otherWorkflowRuns: extra.otherRuns,
    labels: repo.labels.size,
    crashes: extra.crashes,
    faultsFired: extra.faultsFired,
    appRequests,
    requestsPerTask: tasks > 0 ? appRequests / tasks : 0,
    sandboxDays: extra.sandboxDays,
    wallMs: extra.wallMs,
  };
}

