import { runMilestone, type MilestoneRun } from "../../src/harness/run-milestone.js";
import { startStack, type Stack, type StackOptions } from "../../src/harness/stack.js";
import { scaledClock } from "../../src/shared/clock.js";
import type { RequestLogEntry } from "../../src/sandbox/emulator/request-log.js";
import { percentile } from "./stats.js";
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
  wallSeconds: number;
  speed: number;
}

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
  const unsubscribe = stack.sandbox.state.subscribe((event) => {
    if (event.name === "pull_request" && event.action === "closed" && event.data.pull?.merged) merges.push({ pull: event.data.pull.issue.number, logLength: log.entries.length });
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
