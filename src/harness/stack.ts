import { Probot } from "probot";
import { pino, type Logger as PinoLogger } from "pino";
import { createArchitectApp, type ArchitectOptions, type ArchitectRuntime } from "../app/architect-app.js";
import { loadDefaults } from "../app/build-from-env.js";
import { startArchitectServer, type ArchitectServer } from "../app/http-server.js";
import { ArchitectOctokit } from "../app/octokit-class.js";
import type { ReconcileReport } from "../app/reconcile.js";
import { createPlanners } from "../planners/create-planners.js";
import { comment, createSandbox, label, openMilestone, type ActorScript, type DeliveryOptions, type Sandbox } from "../sandbox/index.js";
import type { RepoSetup } from "../sandbox/actors/maintainer.js";
import type { Issue } from "../sandbox/emulator/model.js";
import { scaledClock, type Clock } from "../shared/clock.js";
import { createMetrics, type ArchitectMetrics } from "../observability/metrics.js";
import { createMetricsEndpoint, type RouteHandler } from "../observability/metrics-endpoint.js";
import { combineObservers, type ArchitectObserver } from "../observability/observer.js";

/**
 * The whole system on one machine: the GitHub emulator with scripted agents, CI and
 * reviewer, and the real Probot app (real Octokit, real webhook verification) talking to
 * it over HTTP. The demo, the end-to-end tests and the benchmark all start here.
 */
export interface StackOptions {
  /** Sandbox time. Default: 300× real time, so an agent's minute passes in 200 ms. */
  clock?: Clock;
  actors?: ActorScript | false;
  delivery?: DeliveryOptions;
  rateLimits?: boolean;
  repo?: RepoSetup;
  /** Content of `.github/architect.yml` in the sandbox repository. */
  repoConfig?: string;
  /** Environment the planners see (model hosts and keys). */
  env?: Record<string, string | undefined>;
  /** Pino log level for the app (default "silent"). */
  logLevel?: "silent" | "error" | "warn" | "info" | "debug";
  /** A logger to use instead (e.g. one that captures lines for the secrets test). */
  logger?: PinoLogger;
  app?: Partial<Omit<ArchitectOptions, "defaults" | "clock" | "planners">> & Pick<Partial<ArchitectOptions>, "planners">;
  webhookSecret?: string;
  /** Bearer token `GET /metrics` asks for (METRICS_TOKEN in production); none = open. */
  metricsToken?: string;
}

export interface Stack {
  sandbox: Sandbox;
  runtime: ArchitectRuntime;
  clock: Clock;
  /** Every reconcile's report, in order (for progress output and assertions). */
  reports: ReconcileReport[];
  webhookUrl: string;
  /** The App server's base URL (webhooks, `/metrics`, the dashboard). */
  serverUrl: string;
  metrics: ArchitectMetrics;
  openMilestone(title: string, body: string): Issue;
  comment(issue: Issue | number, body: string, login?: string): void;
  label(issue: Issue | number, names: string[], login?: string): void;
  /** Wait (real time) until nothing is pending in the sandbox or the app. */
  settle(timeoutMs?: number): Promise<void>;
  /** Poll (real time) until `predicate` holds; false on timeout. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** What one app process needs to run against a sandbox. */
export interface ArchitectOnSandboxOptions {
  sandbox: Sandbox;
  clock: Clock;
  env?: Record<string, string | undefined>;
  app?: StackOptions["app"];
  logger: PinoLogger;
  /** Octokit class to use (tests wrap it to inject crashes); default ArchitectOctokit. */
  Octokit?: typeof ArchitectOctokit;
  onReconciled?: (report: ReconcileReport) => void;
  metricsToken?: string;
  /** More routes on the App's server (the dashboard). */
  handlers?: RouteHandler[];
  /** More observers (the dashboard's view). */
  observer?: ArchitectObserver;
}

/**
 * One Architect process on the sandbox's App registration: the real Probot app behind
 * Architect's own webhook endpoint on a free port. Several can share one sandbox (replicas,
 * or a restart after a crash); the caller decides which one receives the webhooks.
 */
export async function startArchitectOnSandbox(options: ArchitectOnSandboxOptions): Promise<{ runtime: ArchitectRuntime; server: ArchitectServer; metrics: ArchitectMetrics }> {
  const registration = options.sandbox.registerApp();
  const env = options.env ?? {};
  const metrics = createMetrics();
  const observer = combineObservers(metrics.observer, options.observer, options.app?.observer);
  const { appFn, runtime } = createArchitectApp({
    defaults: loadDefaults(),
    clock: options.clock,
    planners: (config) => createPlanners(config, env),
    debounceMs: 5_000,
    // The emulator's reads show its writes at once and its clock is the app's; only its
    // whole-second timestamps need a margin (GitHub's own reads may lag: 30 s there).
    seenMarginMs: 2_000,
    ...options.app,
    observer,
    onReconciled: (report) => {
      options.onReconciled?.(report);
      options.app?.onReconciled?.(report);
    },
  });
  const probot = new Probot({
    appId: registration.appId,
    privateKey: registration.privateKeyPem,
    secret: registration.webhookSecret,
    baseUrl: registration.baseUrl,
    Octokit: options.Octokit ?? ArchitectOctokit,
    log: options.logger,
  });
  metrics.setQueueDepth(() => runtime.queueDepth());
  const server = await startArchitectServer({
    probot,
    appFn,
    secrets: [registration.webhookSecret],
    port: 0,
    host: "127.0.0.1",
    handlers: [createMetricsEndpoint(metrics, { token: options.metricsToken }), ...(options.handlers ?? [])],
    observer,
  });
  return { runtime, server, metrics };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? scaledClock(300);
  const sandbox = await createSandbox({
    clock,
    actors: options.actors,
    delivery: options.delivery,
    rateLimits: options.rateLimits,
    webhookSecret: options.webhookSecret,
    repo: {
      ...options.repo,
      files: { ...(options.repoConfig ? { ".github/architect.yml": options.repoConfig } : {}), ...options.repo?.files },
    },
  });
  const reports: ReconcileReport[] = [];
  const { runtime, server, metrics } = await startArchitectOnSandbox({
    sandbox,
    clock,
    env: options.env,
    app: options.app,
    logger: options.logger ?? pino({ level: options.logLevel ?? "silent" }),
    onReconciled: (report) => reports.push(report),
    metricsToken: options.metricsToken,
  });
  const webhookUrl = server.webhookUrl;
  sandbox.setWebhookUrl(webhookUrl);

  const issueOf = (issue: Issue | number): Issue => {
    if (typeof issue !== "number") return issue;
    const found = sandbox.repo.issues.get(issue);
    if (!found) throw new Error(`no issue #${issue} in the sandbox`);
    return found;
  };

  const settle = async (timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await sandbox.settle({ timeoutMs: Math.max(1, deadline - Date.now()) });
      await runtime.idle();
      await sandbox.idle();
      if (sandbox.webhooks.pendingCount() === 0 || Date.now() > deadline) return;
    }
  };

  return {
    sandbox,
    runtime,
    clock,
    reports,
    webhookUrl,
    serverUrl: server.url,
    metrics,
    openMilestone: (title, body) => openMilestone(sandbox.state, sandbox.repo, { title, body }),
    comment: (issue, body, login) => void comment(sandbox.state, sandbox.repo, issueOf(issue), body, login),
    label: (issue, names, login) => void label(sandbox.state, sandbox.repo, issueOf(issue), names, login),
    settle,
    waitFor: async (predicate, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (predicate()) return true;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return predicate();
    },
    stop: async () => {
      runtime.stop();
      await runtime.idle().catch(() => {});
      await server.close();
      await sandbox.close();
    },
  };
}
