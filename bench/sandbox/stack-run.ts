import { runMilestone, type MilestoneRun } from "../../src/harness/run-milestone.js";
import { startStack, type Stack, type StackOptions } from "../../src/harness/stack.js";
import { scaledClock } from "../../src/shared/clock.js";
import type { RequestLogEntry } from "../../src/sandbox/emulator/request-log.js";
import { percentile, sequentialRoundTrips } from "./stats.js";
import { startTimingProxy, type CapturedDelivery } from "./webhook-proxy.js";

/**
 * One milestone, start to finish, on a fresh sandbox with the real app, with the timing
 * proxy between them. Every sandbox figure is read off what this returns: the app's
 * requests (from the emulator's log), its webhook handling times, and the world events.
 */

/** Sandbox milliseconds per wall millisecond; the round-trip count needs it to compare stamps. */
export const SANDBOX_SPEED = 300;

export interface StackRunOptions {
  name: string;
  title: string;
  body: string;
  timeoutMs?: number;
  stack?: Omit<StackOptions, "clock">;
  speed?: number;
  /** Runs while the stack is still up, after the milestone finished (e.g. the webhook burst). */
  after?: (stack: Stack, captured: readonly CapturedDelivery[]) => Promise<void>;
}

export interface StackRunResult {
  name: string;
  run: MilestoneRun;
  /** The app's requests during the run, in the order they were answered. */
  appRequests: RequestLogEntry[];
  /** Every request the emulator answered since the stack started (the merge indices point here). */
  allRequests: RequestLogEntry[];
  /** The app's login (`<slug>[bot]`). */
  bot: string;
  /** Requests-log indices at which each pull request was merged (see round-trips.ts). */
  merges: { pull: number; logLength: number }[];
  webhooks: { deliveries: number; non2xx: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** From the `/architect plan` comment: sequential round trips until the first sub-issue exists and until the first dispatch (null: never). */
  planPath: { toSubIssues: number | null; toFirstDispatch: number | null; pathToFirstDispatch: string[] };
  wallSeconds: number;
  speed: number;
}

const DISPATCH = /\/actions\/workflows\/\{workflow_id\}\/dispatches$/;

/**
 * Rejects as soon as the emulator answers 501: the sandbox lacks something the app needs,
 * and waiting out the run's timeout would only hide that.
 */
export function unsupported(entries: readonly RequestLogEntry[], from: number, pollMs = 100): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setInterval(() => {
      const missing = entries.slice(from).find((e) => e.status === 501);
      if (!missing) return;
      clearInterval(timer);
      reject(new Error(`the sandbox answered 501 Not Implemented to ${missing.endpoint}; no figure from this scenario`));
    }, pollMs);
    timer.unref();
  });
}

export async function runOnStack(options: StackRunOptions): Promise<StackRunResult> {
  const speed = options.speed ?? SANDBOX_SPEED;
  const stack = await startStack({ ...options.stack, clock: scaledClock(speed) });
  const proxy = await startTimingProxy(stack.webhookUrl);
  stack.sandbox.setWebhookUrl(proxy.url);
  const log = stack.sandbox.emulator.requestLog;
  const merges: { pull: number; logLength: number }[] = [];
  let firstSubIssueAt: number | null = null;
  const unsubscribe = stack.sandbox.state.subscribe((event) => {
    if (event.name === "pull_request" && event.action === "closed" && event.data.pull?.merged) merges.push({ pull: event.data.pull.issue.number, logLength: log.entries.length });
    // The world records a sub-issue while the request that created it is being answered: that request is already in the log or is the next one.
    if (event.name === "sub_issues" && event.action === "sub_issue_added" && firstSubIssueAt === null) firstSubIssueAt = log.entries.length;
  });
  const bot = stack.sandbox.app.botUser.login;
  const before = log.entries.length;
  const started = performance.now();
  try {
    const running = runMilestone(stack, { title: options.title, body: options.body, timeoutMs: options.timeoutMs ?? 120_000 });
    running.catch(() => {}); // if the watchdog wins, the run's own end does not matter
    const run = await Promise.race([running, unsupported(log.entries, before)]);
    const wallSeconds = (performance.now() - started) / 1000;
    const ms = proxy.samples.map((s) => s.ms);
    const result: StackRunResult = {
      name: options.name,
      run,
      appRequests: log.entries.slice(before).filter((e) => e.actor === bot || e.actor === null),
      allRequests: log.entries.slice(),
      bot,
      merges,
      webhooks: {
        deliveries: proxy.samples.length,
        non2xx: proxy.samples.filter((s) => s.status < 200 || s.status > 299).length,
        p50Ms: percentile(ms, 50),
        p99Ms: percentile(ms, 99),
        maxMs: Math.max(0, ...ms),
      },
      planPath: planPath(log.entries, before, firstSubIssueAt, bot, speed),
      wallSeconds,
      speed,
    };
    if (options.after) await options.after(stack, proxy.captured);
    return result;
  } finally {
    unsubscribe();
    await stack.stop();
    await proxy.close();
  }
}

/**
 * Round trips on the path from the plan comment (every app request after it is on the path
 * at first) to the first sub-issue and to the first dispatch; requests in flight together
 * count once. The log records a request when it is answered, so the sub-issue's request is
 * the first app mutation logged after the world recorded the sub-issue.
 */
export function planPath(entries: readonly RequestLogEntry[], from: number, subIssueLogLength: number | null, bot: string, speed: number): StackRunResult["planPath"] {
  const mine = (e: RequestLogEntry) => e.actor === bot || e.actor === null;
  const upTo = (end: number) => entries.slice(from, end + 1).filter(mine);
  let subIssueIndex = -1;
  if (subIssueLogLength !== null) {
    const start = Math.max(from, subIssueLogLength);
    subIssueIndex = entries.findIndex((e, i) => i >= start && mine(e) && e.endpoint === "POST /graphql (mutation)");
  }
  const dispatchIndex = entries.findIndex((e, i) => i >= from && e.actor === bot && DISPATCH.test(e.endpoint));
  return {
    toSubIssues: subIssueIndex >= 0 ? sequentialRoundTrips(upTo(subIssueIndex), speed) : null,
    toFirstDispatch: dispatchIndex >= 0 ? sequentialRoundTrips(upTo(dispatchIndex), speed) : null,
    pathToFirstDispatch: dispatchIndex >= 0 ? upTo(dispatchIndex).map((e) => e.endpoint) : [],
  };
}
