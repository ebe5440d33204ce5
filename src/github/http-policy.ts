import type { Octokit } from "@octokit/core";
import { realClock, type Clock } from "../shared/clock.js";
import { AmbiguousWriteError } from "./gateway.js";
import { classifyRequest, type RequestKind } from "./request-kind.js";
import type { WriteLimiter } from "./write-limiter.js";

/**
 * Architect's own throttling and retry, installed as an Octokit request hook. Probot's
 * built-in plugins are turned off because they run on real timers (untestable, and wrong
 * on the sandbox's compressed clock) and plugin-retry resends POSTs after a 5xx, which can
 * merge or create twice. The rules:
 * - writes are paced by a WriteLimiter (1/s and the content-creation budget);
 * - 403/429 rate limits wait as GitHub says and retry, writes included (GitHub did not run them);
 * - 5xx, network errors and timeouts retry reads with backoff and turn writes into AmbiguousWriteError;
 * - every request has a timeout on the injected clock.
 */

/** The part of Octokit the policy hooks into. */
export type HookableOctokit = Pick<Octokit, "hook">;

/** The wrap signature as the policy uses it (Octokit's own types are stricter than we need). */
type WrapRequest = (name: "request", fn: (request: RequestFn, options: RequestOptions) => Promise<OctokitResponseLike>) => void;

type RequestFn = (options: RequestOptions) => Promise<OctokitResponseLike>;

interface RequestOptions {
  method: string;
  url: string;
  query?: unknown;
  request?: { signal?: AbortSignal } & Record<string, unknown>;
  [key: string]: unknown;
}

interface OctokitResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

/** One finished attempt, for metrics and benchmarks (never includes headers or tokens). */
export interface RequestRecord {
  label: string;
  kind: "read" | "write";
  status: number;
  attempt: number;
}

/** Minimal logger; Probot's pino logger fits. */
export interface PolicyLog {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface HttpPolicyOptions {
  clock: Clock;
  limiter: WriteLimiter;
  timeoutMs?: number;
  /** Attempts for a rate-limited request, first one included. */
  maxRateLimitTries?: number;
  /** Attempts for a read that fails with 5xx, a network error or a timeout. */
  maxReadTries?: number;
  /** First backoff for reads; doubles each try. */
  readBackoffMs?: number;
  /** Wait when GitHub signals a secondary limit without saying how long (its docs: at least a minute). */
  fallbackRateLimitWaitMs?: number;
  /**
   * The clock request timeouts run on; wall-clock by default even when `clock` is
   * compressed, because network latency does not speed up with the sandbox.
   */
  timeoutClock?: Clock;
  onRequest?: (record: RequestRecord) => void;
  /** Told each time a request waits out a rate limit before retrying (metrics). */
  onRateLimitWait?: (waitMs: number) => void;
  log?: PolicyLog;
}

/** The error Octokit throws for HTTP errors, as far as the policy looks at it. */
interface HttpErrorLike {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** Install the policy on an Octokit instance (once). */
export function installHttpPolicy(octokit: HookableOctokit, options: HttpPolicyOptions): void {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as HttpPolicyOptions;
  const settings = {
    timeoutMs: 10_000,
    maxRateLimitTries: 4,
    maxReadTries: 4,
    readBackoffMs: 1_000,
    fallbackRateLimitWaitMs: 60_000,
    timeoutClock: realClock,
    ...given,
  };
  const wrap = octokit.hook.wrap.bind(octokit.hook) as unknown as WrapRequest;
  wrap("request", (request, requestOptions) => runWithPolicy(request, requestOptions, settings));
}

type Settings = Required<Omit<HttpPolicyOptions, "onRequest" | "onRateLimitWait" | "log">> & Pick<HttpPolicyOptions, "onRequest" | "onRateLimitWait" | "log">;

async function runWithPolicy(request: RequestFn, options: RequestOptions, settings: Settings): Promise<OctokitResponseLike> {
  const kind = classifyRequest(options.method, options.url, options.query);
  const callerSignal = options.request?.signal;
  let rateLimitTries = 0;
  let readTries = 0;
  for (let attempt = 1; ; attempt++) {
    if (kind.kind === "write") await settings.limiter.acquire(kind.cost);
    let response: OctokitResponseLike;
    try {
      response = await withTimeout(request, options, callerSignal, settings);
    } catch (error) {
      const failure = error as HttpErrorLike;
      settings.onRequest?.({ label: kind.label, kind: kind.kind, status: failure.status ?? 0, attempt });
      const wait = rateLimitWait(failure.status, failure.response?.headers, failure.message, settings);
      if (wait !== null) {
        rateLimitTries++;
        // The limit is the installation's: other writes wait it out even if this one gives up.
        settings.limiter.penalize(wait);
        if (rateLimitTries >= settings.maxRateLimitTries) throw error;
        await backOffForRateLimit(kind, wait, settings);
        continue;
      }
      if (!isTransient(failure)) throw error;
      if (kind.kind === "write") throw new AmbiguousWriteError(kind.label, { cause: error });
      readTries++;
      if (readTries >= settings.maxReadTries) throw error;
      const backoff = settings.readBackoffMs * 2 ** (readTries - 1);
      settings.log?.warn({ request: kind.label, status: failure.status, backoff }, "transient GitHub error; retrying read");
      await settings.clock.sleep(backoff);
      continue;
    }
    settings.onRequest?.({ label: kind.label, kind: kind.kind, status: response.status, attempt });
    // GraphQL reports an exhausted primary limit as HTTP 200 with a RATE_LIMITED error.
    if (isGraphqlRateLimited(response.data)) {
      rateLimitTries++;
      const wait = resetWait(response.headers, settings.clock.now()) ?? settings.fallbackRateLimitWaitMs;
      settings.limiter.penalize(wait);
      if (rateLimitTries >= settings.maxRateLimitTries) return response;
      await backOffForRateLimit(kind, wait, settings);
      continue;
    }
    settings.log?.debug({ request: kind.label, status: response.status, attempt }, "github request");
    return response;
  }
}

/** The caller has already penalized the limiter, so every write, not just this one, waits. */
async function backOffForRateLimit(kind: RequestKind, waitMs: number, settings: Settings): Promise<void> {
  settings.log?.warn({ request: kind.label, waitMs }, "GitHub rate limit; waiting before retrying");
  settings.onRateLimitWait?.(waitMs);
  await settings.clock.sleep(waitMs);
}

/**
 * Run one attempt with an abort timer. The timer runs on wall-clock time even when the
 * policy's clock is compressed: network latency does not speed up with the sandbox.
 */
async function withTimeout(
  request: RequestFn,
  options: RequestOptions,
  callerSignal: AbortSignal | undefined,
  settings: Settings,
): Promise<OctokitResponseLike> {
  const controller = new AbortController();
  let timedOut = false;
  const cancel = settings.timeoutClock.setTimer(settings.timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
  // Octokit's inner hooks (auth) were bound to this very options object, so the signal has
  // to be set on it; `request` gets a fresh object because the default one is shared.
  options.request = { ...options.request, signal };
  try {
    return await request(options);
  } catch (error) {
    if (timedOut) throw Object.assign(new Error(`GitHub request timed out after ${settings.timeoutMs} ms`, { cause: error }), { status: 504, name: "TimeoutError" });
    throw error;
  } finally {
    cancel();
  }
}

/**
 * How long GitHub asked us to wait, or null when this is not a rate limit.
 * A 403 without rate-limit signals is a permission problem and must not be retried.
 */
export function rateLimitWait(
  status: number | undefined,
  headers: Record<string, string | number | undefined> | undefined,
  message: string | undefined,
  settings: { clock: Clock; fallbackRateLimitWaitMs: number },
): number | null {
  if (status !== 403 && status !== 429) return null;
  const retryAfter = Number(headers?.["retry-after"]);
  if (headers?.["retry-after"] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter * 1000);
  if (String(headers?.["x-ratelimit-remaining"]) === "0") {
    return resetWait(headers, settings.clock.now()) ?? settings.fallbackRateLimitWaitMs;
  }
  if (status === 429 || /secondary rate limit|abuse/i.test(message ?? "")) return settings.fallbackRateLimitWaitMs;
  return null;
}

/** Wait until `x-ratelimit-reset` (epoch seconds) plus a second, as GitHub recommends. */
function resetWait(headers: Record<string, string | number | undefined> | undefined, now: number): number | null {
  const reset = Number(headers?.["x-ratelimit-reset"]);
  if (!headers?.["x-ratelimit-reset"] || !Number.isFinite(reset)) return null;
  return Math.max(0, reset * 1000 + 1000 - now);
}

function isGraphqlRateLimited(data: unknown): boolean {
  if (typeof data !== "object" || data === null || !("errors" in data)) return false;
  const errors = (data as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.some((e) => (e as { type?: unknown })?.type === "RATE_LIMITED");
}

/** 5xx, network failures (Octokit reports them as 500) and timeouts; anything else is a bug or a 4xx. */
function isTransient(error: HttpErrorLike): boolean {
  return (error.status !== undefined && error.status >= 500) || error.name === "AbortError" || error.name === "TimeoutError";
}
