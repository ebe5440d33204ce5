import { pino, type Logger as PinoLogger } from "pino";
import type { ArchitectOptions, ArchitectRuntime } from "../../../src/app/architect-app.js";
import type { ArchitectServer } from "../../../src/app/http-server.js";
import { startArchitectOnSandbox } from "../../../src/harness/stack.js";
import { ArchitectOctokit } from "../../../src/app/octokit-class.js";
import type { ReconcileReport } from "../../../src/app/reconcile.js";
import type { Sandbox } from "../../../src/sandbox/index.js";
import type { Clock } from "../../../src/shared/clock.js";

/**
 * One Architect process, in-process: its own Probot, its own createArchitectApp runtime,
 * its own webhook server. Several of these can share one sandbox (restarts, replicas),
 * which `startStack` cannot do because it owns both halves.
 */
export interface AppWrite {
  /** 1-based index among this instance's writes. */
  index: number;
  method: string;
  url: string;
  /** For GraphQL mutations: the mutation fields in the document (`createIssue`, `addComment`, ...). */
  mutations: string[];
  /** The request's parameters (`ref`, `inputs`, `variables`, ...), to aim at one task. */
  params: Record<string, unknown>;
}

/**
 * Where to "kill" the process: at the first write `at` accepts. "before" stops it before
 * the request leaves; "after" lets GitHub commit it and dies before reading the answer.
 */
export interface CrashPlan {
  name: string;
  at: (write: AppWrite) => boolean;
  phase: "before" | "after";
}

export interface AppInstanceOptions {
  sandbox: Sandbox;
  clock: Clock;
  /** Environment the planners see. */
  env?: Record<string, string | undefined>;
  logger?: PinoLogger;
  crash?: CrashPlan;
  /** Point the sandbox's webhooks at this instance (default true; false for a proxy in front). */
  receiveWebhooks?: boolean;
  app?: Partial<Omit<ArchitectOptions, "defaults" | "clock" | "planners">>;
}

export interface AppInstance {
  runtime: ArchitectRuntime;
  server: ArchitectServer;
  webhookUrl: string;
  reports: ReconcileReport[];
  /** Every write this instance sent (or tried to), in order. */
  writes: AppWrite[];
  /** Resolves with the write it died on, once the crash plan fired. */
  crashed: Promise<AppWrite>;
  isDead(): boolean;
  /** The process is gone: no more requests, no more webhooks, no timers. */
  kill(): Promise<void>;
  /** Orderly shutdown (waits for in-flight work). */
  stop(): Promise<void>;
}

/** Thrown inside a killed instance; nothing after it reaches GitHub. */
export class ProcessKilled extends Error {
  constructor(what: string) {
    super(`process killed (${what})`);
    this.name = "ProcessKilled";
  }
}

export async function startAppInstance(options: AppInstanceOptions): Promise<AppInstance> {
  const { sandbox, clock } = options;
  const reports: ReconcileReport[] = [];
  const writes: AppWrite[] = [];
  let dead = false;
  let markCrashed: (write: AppWrite) => void = () => {};
  const crashed = new Promise<AppWrite>((resolve) => (markCrashed = resolve));

  // Innermost request hook (plugins wrap before Architect's http policy does): it sees every
  // attempt, token mints included, exactly as it goes on the wire.
  const killSwitch = (octokit: { hook: { wrap: (name: "request", fn: (request: (o: unknown) => Promise<unknown>, o: RequestLike) => Promise<unknown>) => void } }) => {
    octokit.hook.wrap("request", async (request, requestOptions) => {
      if (dead) throw new ProcessKilled("after the crash");
      const write = describeWrite(requestOptions, writes.length + 1);
      if (!write) return request(requestOptions);
      writes.push(write);
      const plan = options.crash;
      if (!plan || !plan.at(write)) return request(requestOptions);
      if (plan.phase === "before") {
        dead = true;
        markCrashed(write);
        throw new ProcessKilled(`${plan.name}, before write #${write.index}`);
      }
      await request(requestOptions);
      dead = true;
      markCrashed(write);
      throw new ProcessKilled(`${plan.name}, after write #${write.index} committed`);
    });
  };
  const Octokit = (ArchitectOctokit as unknown as { plugin: (p: typeof killSwitch) => typeof ArchitectOctokit }).plugin(killSwitch);

  const { runtime, server } = await startArchitectOnSandbox({
    sandbox,
    clock,
    env: options.env,
    app: { debounceMs: 1_000, ...options.app },
    logger: options.logger ?? pino({ level: "silent" }),
    Octokit,
    onReconciled: (report) => reports.push(report),
  });
  if (options.receiveWebhooks !== false) sandbox.setWebhookUrl(server.webhookUrl);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };

  return {
    runtime,
    server,
    webhookUrl: server.webhookUrl,
    reports,
    writes,
    crashed,
    isDead: () => dead,
    kill: async () => {
      dead = true;
      runtime.stop();
      await close();
    },
    stop: async () => {
      runtime.stop();
      await runtime.idle().catch(() => {});
      await close();
    },
  };
}

interface RequestLike {
  method?: string;
  url?: string;
  query?: unknown;
  [key: string]: unknown;
}

/** A write as the crash plan sees it; null for reads, GraphQL queries and token mints. */
function describeWrite(options: RequestLike, index: number): AppWrite | null {
  const method = String(options.method ?? "GET").toUpperCase();
  const url = String(options.url ?? "");
  if (method === "GET" || method === "HEAD") return null;
  if (/\/access_tokens$/.test(url)) return null;
  if (url === "/graphql") {
    const document = typeof options.query === "string" ? options.query : "";
    if (!/^\s*mutation\b/.test(document)) return null;
    return { index, method, url, mutations: mutationFields(document), params: options };
  }
  return { index, method, url, mutations: [], params: options };
}

/** Top-level field names of a mutation document (aliases stripped): `a1: createIssue(` → createIssue. */
function mutationFields(document: string): string[] {
  const names = new Set<string>();
  for (const match of document.matchAll(/(?:^|[\s{,])(?:\w+\s*:\s*)?(add\w+|create\w+|update\w+|close\w+|merge\w+|enable\w+|remove\w+|delete\w+|reopen\w+)\s*\(/g)) {
    names.add(match[1] as string);
  }
  return [...names];
}
