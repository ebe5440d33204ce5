import { startStack } from "../../src/harness/stack.js";
import { scaledClock } from "../../src/shared/clock.js";
import { createRng } from "../makespan/prng.js";
import { generateDag } from "../makespan/random-dag.js";
import { unsupported } from "./stack-run.js";
import { minimumTimeMs, pacedMinimumTimeMs, slidingWindowMinimumMs } from "./stats.js";
import { renderTaskList } from "./task-list.js";

/**
 * A 100-task plan materialised against the sandbox enforcing GitHub's secondary limits
 * (80 content-creating requests a minute, 500 an hour) on a compressed clock: how many
 * limit errors the app ran into (target 0) and how long it took next to the least time
 * the limits allow for the content-creating requests it needed.
 */
export interface MaterialiseResult {
  tasks: number;
  edges: number;
  complete: boolean;
  subIssuesCreated: number;
  linksCreated: number;
  /** 403/429 secondary-limit answers the app received. */
  limitErrors: number;
  /** Content-creating requests the app made until the plan stood (accepted ones). */
  contentCreating: number;
  /** Sandbox ms from the plan command to the last sub-issue or dependency link. */
  elapsedMs: number;
  /** max(count ÷ 80 per minute, (count − 1) s): the content limits and GitHub's second between writes (see stats.ts). */
  minimumMs: number;
  /** count ÷ 80 per minute alone. */
  contentMinimumMs: number;
  slidingMinimumMs: number;
  ratio: number;
  speed: number;
  wallSeconds: number;
}

/** Rejects when the app has made no request for `quietMs` of wall time: it gave up, and the last comment usually says why. */
function stalled(entries: readonly unknown[], lastComment: () => string, quietMs: number): Promise<never> {
  return new Promise((_, reject) => {
    let seen = entries.length;
    let since = performance.now();
    const timer = setInterval(() => {
      if (entries.length !== seen) {
        seen = entries.length;
        since = performance.now();
      } else if (performance.now() - since > quietMs) {
        clearInterval(timer);
        reject(new Error(`the app stopped making requests; last milestone comment: ${lastComment().split("\n")[0]?.slice(0, 200)}`));
      }
    }, 250);
    timer.unref();
  });
}

const CONFIG = ["version: 1", "planner:", "  max_tasks: 100", "  max_depth: 50", ""].join("\n");

export async function materialise100(options: { seed?: number; tasks?: number; speed?: number; timeoutMs?: number } = {}): Promise<MaterialiseResult> {
  const size = options.tasks ?? 100;
  // Real time by default: at ×60 every wall millisecond of HTTP would count as 60 sandbox
  // milliseconds and swamp the figure. A slower app (more than 80 writes) takes minutes here.
  const speed = options.speed ?? 1;
  const { tasks } = generateDag(createRng(options.seed ?? 100), "layered", size);
  const edges = tasks.reduce((n, t) => n + t.dependsOn.length, 0);
  const stack = await startStack({ clock: scaledClock(speed), rateLimits: true, actors: false, repoConfig: CONFIG });
  const log = stack.sandbox.emulator.requestLog;
  const bot = stack.sandbox.app.botUser.login;
  let lastStructural = 0;
  const unsubscribe = stack.sandbox.state.subscribe((event) => {
    if ((event.name === "sub_issues" && event.action === "sub_issue_added") || (event.name === "issue_dependencies" && event.action === "blocked_by_added")) lastStructural = event.at;
  });
  const started = performance.now();
  try {
    const milestone = stack.openMilestone("Benchmark: 100 tasks", renderTaskList(tasks, "A large generated plan for the rate-limit benchmark.", { lean: true }));
    const t0 = stack.clock.now();
    const before = log.entries.length;
    stack.comment(milestone, "/architect plan", "maintainer");
    const links = () => milestone.subIssues.reduce((n, issue) => n + issue.blockedBy.length, 0);
    const complete = await Promise.race([
      stack.waitFor(() => milestone.subIssues.length === size && links() === edges, options.timeoutMs ?? 180_000),
      unsupported(log.entries, before),
      // A quiet spell longer than a rate-limit minute means the app gave up.
      stalled(log.entries, () => milestone.comments.at(-1)?.body ?? "", Math.max(15_000, 70_000 / speed)),
    ]);
    const wallSeconds = (performance.now() - started) / 1000;
    const elapsedMs = Math.max(0, lastStructural - t0);
    const mine = log.entries.slice(before).filter((e) => e.actor === bot && e.at <= lastStructural);
    // Only the app writes here (actors are off), so the emulator's counter is the app's.
    const limitErrors = log.secondaryRateLimited + log.entries.slice(before).filter((e) => e.actor === bot && e.status === 429).length;
    const contentCreating = mine.filter((e) => e.contentCreating && e.status < 400).length;
    const minimumMs = pacedMinimumTimeMs(contentCreating);
    return {
      tasks: size,
      edges,
      complete,
      subIssuesCreated: milestone.subIssues.length,
      linksCreated: links(),
      limitErrors,
      contentCreating,
      elapsedMs,
      minimumMs,
      contentMinimumMs: minimumTimeMs(contentCreating),
      slidingMinimumMs: slidingWindowMinimumMs(contentCreating),
      ratio: minimumMs > 0 ? elapsedMs / minimumMs : NaN,
      speed,
      wallSeconds,
    };
  } finally {
    unsubscribe();
    await stack.stop();
  }
}
