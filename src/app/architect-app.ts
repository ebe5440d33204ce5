import type { ApplicationFunction, Probot } from "probot";
import type { GitHubGateway } from "../github/gateway.js";
import { createOctokitGateway, type ProtectionCache } from "../github/octokit-gateway.js";
import { installHttpPolicy, type HookableOctokit } from "../github/http-policy.js";
import { createMemoryRunLedger, type RunLedger } from "../github/run-ledger.js";
import { runFromWebhook } from "./run-from-webhook.js";
import { createMemoryWriteLimiter, type WriteLimiter } from "../github/write-limiter.js";
import type { Clock } from "../shared/clock.js";
import { handleCommand } from "./commands.js";
import { resolveRepoConfig, type ConfigDefaults, type ConfigResult, REPO_CONFIG_PATH } from "./config-loader.js";
import { reportConfigProblems } from "./config-report.js";
import { replyOnce } from "./replies.js";
import { createCommandRunner } from "./command-runner.js";
import { createRefusalLimiter } from "./refusal-limiter.js";
import { localLease, ReconcileQueue, type Lease } from "./reconcile-queue.js";
import { reconcileMilestone, type ReconcileReport } from "./reconcile.js";
import { routeEvent, type Route } from "./route-event.js";
import type { Logger } from "./logger.js";
import type { PlannerFactory } from "./planning.js";
import type { SpanContext, Link } from "@opentelemetry/api";
import { combineObservers, type ArchitectObserver } from "../observability/observer.js";
import { instrumentOctokit } from "../observability/octokit-instrumentation.js";
import { activeSpanContext, ATTR, inSpan, traceFields } from "../observability/tracing.js";

export interface ArchitectOptions {
  defaults: ConfigDefaults;
  clock: Clock;
  /** Shared pacing of content-creating writes (Redis-backed with several replicas). */
  limiter?: WriteLimiter;
  lease?: Lease;
  /** Workflow runs seen in webhooks, so reconciles need not list them (Redis-backed with several replicas). */
  runLedger?: RunLedger;
  /** Wait this long after a webhook before reading, so one action's burst of events coalesces. */
  debounceMs?: number;
  concurrency?: number;
  /** How planners are built (model clients); the sandbox injects fake model servers here. */
  planners: PlannerFactory;
  /** Reconcile every known milestone this often even without webhooks (0 = off). */
  resyncMs?: number;
  /** Called after every reconcile (the demo prints progress from it). */
  onReconciled?: (report: ReconcileReport) => void;
  /** How long before a reconcile's read a change must have happened to count as seen by it (default SEEN_MARGIN_MS). */
  seenMarginMs?: number;
  /** Per-attempt GitHub request timeout in wall-clock ms (default: the http policy's 10 s); fault tests shorten it. */
  requestTimeoutMs?: number;
  /** Metrics and the dashboard's view listen here (see src/observability/observer.ts). */
  observer?: ArchitectObserver;
}

/** Handles the host keeps, to wait for quiet, sweep, and stop. */
export interface ArchitectRuntime {
  /** Resolves when no reconcile, command or delivery handling is in flight. */
  idle(): Promise<void>;
  /** Reconcile every open milestone of every installation (startup sweep). */
  sweep(): Promise<void>;
  stop(): void;
  readonly stats: { events: number; ignored: number; reconciles: number; commands: number };
  /** Milestones scheduled or running in the reconcile queue (a metric). */
  queueDepth(): number;
}

/**
 * Config and branch protection are read again after this long. A push touching the config
 * file drops its entry at once. A stale protection copy cannot let a merge through (GitHub
 * enforces protection at merge time); it can only delay a merge or a warning until it expires.
 */
const CACHE_TTL_MS = 60 * 60_000;

interface RepoKey {
  installationId: number;
  owner: string;
  repo: string;
}
type MilestoneKey = `${number}:${string}/${string}#${number}`;

/**
 * A webhook about something that happened this long before a completed reconcile began
 * its read brings nothing new: that read saw it. The margin covers GitHub's whole-second
 * timestamps, reads that lag writes, and the two clocks involved.
 */
export const SEEN_MARGIN_MS = 30_000;

/** A reconcile that threw is tried again after this long (sandbox/clock time). */
const RETRY_AFTER_ERROR_MS = 60_000;

/**
 * The Probot side of Architect. Handlers only translate webhooks into "reconcile
 * milestone M" (or run a command, which records an intent and then asks for a
 * reconcile); everything else happens in the serialized, coalescing queue.
 */
export function createArchitectApp(options: ArchitectOptions): { appFn: ApplicationFunction; runtime: ArchitectRuntime } {
  const clock = options.clock;
  const limiter = options.limiter ?? createMemoryWriteLimiter(clock);
  const stats = { events: 0, ignored: 0, reconciles: 0, commands: 0 };
  const inflight = new Set<Promise<unknown>>();
  const wakeTimers = new Map<MilestoneKey, () => void>();
  const known = new Map<MilestoneKey, { repo: RepoKey; milestone: number }>();
  const taskToMilestone = new Map<string, number>();
  /** Per milestone: when the read of the last reconcile that settled and wrote everything it decided began. */
  const seenUpTo = new Map<MilestoneKey, number>();
  const seenMarginMs = options.seenMarginMs ?? SEEN_MARGIN_MS;
  const configCache = new Map<string, { result: ConfigResult; at: number }>();
  const protectionCache: ProtectionCache = new Map();
  const runLedger = options.runLedger ?? createMemoryRunLedger(clock);
  let identity: { slug: string; botLogin: string } | null = null;
  let probot: Probot | null = null;
  let stopped = false;
  let log: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  const observer = combineObservers(options.observer);
  /** Per milestone: the traces of the webhooks that asked for its next reconcile (it continues the first, links the rest). */
  const askedBy = new Map<MilestoneKey, SpanContext[]>();

  const refusalLimiter = createRefusalLimiter();
  const commands = createCommandRunner({ clock, lease: options.lease ?? localLease, log: () => log, isStopped: () => stopped, retryAfterMs: RETRY_AFTER_ERROR_MS });
  const queue = new ReconcileQueue<MilestoneKey>({
    clock,
    debounceMs: options.debounceMs ?? 2_000,
    concurrency: options.concurrency ?? 4,
    lease: options.lease ?? localLease,
    leaseTtlMs: 120_000,
    leaseRetryMs: 2_000,
    onError: (key, error) => log.error({ err: error, key }, "reconcile failed"),
  });

  // Built per use: `log` becomes Probot's logger once the app is loaded.
  const policy = () => ({
    clock,
    limiter,
    log,
    onRequest: observer.request,
    onRateLimitWait: observer.rateLimitWait,
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
  });
  const instrument = (octokit: unknown) => instrumentOctokit(octokit as HookableOctokit, observer.requestDone);

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    void promise.finally(() => inflight.delete(promise)).catch(() => {});
    return promise;
  };

  async function gatewayFor(repo: RepoKey): Promise<GitHubGateway> {
    const octokit = await (probot as Probot).auth(repo.installationId);
    installHttpPolicy(octokit as unknown as HookableOctokit, policy());
    instrument(octokit);
    return createOctokitGateway({ octokit, owner: repo.owner, repo: repo.repo, clock, log, protectionCache, protectionTtlMs: CACHE_TTL_MS, runLedger });
  }

  async function whoAmI(): Promise<{ slug: string; botLogin: string }> {
    if (identity) return identity;
    const octokit = await (probot as Probot).auth();
    const { data } = await octokit.request("GET /app");
    const slug = (data as { slug?: string } | null)?.slug ?? "architect";
    identity = { slug, botLogin: `${slug}[bot]` };
    return identity;
  }

  async function configFor(repo: RepoKey, gateway: GitHubGateway): Promise<ConfigResult> {
    const cacheKey = `${repo.owner}/${repo.repo}`;
    const cached = configCache.get(cacheKey);
    if (cached && clock.now() - cached.at < CACHE_TTL_MS) return cached.result;
    const result = resolveRepoConfig(await gateway.readFile(REPO_CONFIG_PATH), options.defaults.raw);
    configCache.set(cacheKey, { result, at: clock.now() });
    return result;
  }

  function keyOf(repo: RepoKey, milestone: number): MilestoneKey {
    return `${repo.installationId}:${repo.owner}/${repo.repo}#${milestone}`;
  }

  /** `asking`: the trace of the webhook that asks (timers, resyncs and sweeps start their own). */
  function requestReconcile(repo: RepoKey, milestone: number, asking: SpanContext | null = null): void {
    if (stopped) return;
    const key = keyOf(repo, milestone);
    known.set(key, { repo, milestone });
    if (asking) askedBy.set(key, [...(askedBy.get(key) ?? []), asking].slice(-20));
    queue.request(key, () => track(runReconcile(repo, milestone)));
  }

  async function runReconcile(repo: RepoKey, milestone: number): Promise<void> {
    const key = keyOf(repo, milestone);
    const asked = askedBy.get(key) ?? [];
    askedBy.delete(key);
    const links: Link[] = asked.slice(1).map((context) => ({ context }));
    try {
      await inSpan(
        "reconcile",
        { parent: asked[0] ?? null, links, attributes: { [ATTR.repository]: `${repo.owner}/${repo.repo}`, [ATTR.milestone]: milestone } },
        () => reconcileOnce(repo, milestone),
      );
    } catch (error) {
      observer.reconcileFailed({ ref: { installationId: repo.installationId, owner: repo.owner, repo: repo.repo, milestone }, error });
      // GitHub failed past the read retries. Look again on our own: no webhook may ever come.
      scheduleWake(repo, milestone, clock.now() + RETRY_AFTER_ERROR_MS);
      throw error;
    }
  }

  async function reconcileOnce(repo: RepoKey, milestone: number): Promise<void> {
    const gateway = await gatewayFor(repo);
    const { botLogin } = await whoAmI();
    const configResult = await configFor(repo, gateway);
    if (!configResult.ok) {
      await reportConfigProblems(gateway, milestone, configResult, botLogin);
      return;
    }
    const key = keyOf(repo, milestone);
    const ref = { installationId: repo.installationId, owner: repo.owner, repo: repo.repo, milestone };
    const started = performance.now();
    const report = await reconcileMilestone(
      { gateway, config: configResult.config, clock, log, botLogin, looksAgain: () => queue.runsAgain(key), onPass: (info) => observer.pass({ ref, ...info }) },
      milestone,
    );
    stats.reconciles += 1;
    observer.reconciled({ ref, report, durationMs: performance.now() - started, at: clock.now() });
    log.debug({ repository: `${repo.owner}/${repo.repo}`, milestone, passes: report.passes, applied: report.applied, ...traceFields() }, "reconciled");
    for (const task of report.snapshot?.tasks ?? []) taskToMilestone.set(`${repo.owner}/${repo.repo}#${task.issue.number}`, milestone);
    if (!report.snapshot) known.delete(keyOf(repo, milestone));
    if (report.settled && report.failures.length === 0 && report.readFrom !== null) seenUpTo.set(keyOf(repo, milestone), Math.max(seenUpTo.get(keyOf(repo, milestone)) ?? 0, report.readFrom));
    scheduleWake(repo, milestone, report.wakeAt);
    if (report.failures.length > 0) log.warn({ milestone, failures: report.failures }, "some writes failed; the next reconcile retries");
    options.onReconciled?.(report);
  }

  function scheduleWake(repo: RepoKey, milestone: number, at: number | null): void {
    const key = keyOf(repo, milestone);
    wakeTimers.get(key)?.();
    wakeTimers.delete(key);
    if (at === null || stopped) return;
    wakeTimers.set(key, clock.setTimer(Math.max(0, at - clock.now()) + 1, () => requestReconcile(repo, milestone)));
  }

  async function milestoneOfTask(repo: RepoKey, task: number): Promise<number | null> {
    const cached = taskToMilestone.get(`${repo.owner}/${repo.repo}#${task}`);
    if (cached !== undefined) return cached;
    const parent = await (await gatewayFor(repo)).findParent(task);
    if (parent !== null) taskToMilestone.set(`${repo.owner}/${repo.repo}#${task}`, parent);
    return parent;
  }

  async function onRoute(route: Route, repo: RepoKey, sender: string | undefined): Promise<void> {
    switch (route.kind) {
      case "ignore":
        stats.ignored += 1;
        log.debug({ reason: route.reason }, "event ignored");
        return;
      case "milestone":
        if (route.labelledAgent) await answerUnknownAgent(repo, route.labelledAgent);
        requestReconcile(repo, route.issue, activeSpanContext());
        return;
      case "task": {
        const milestone = await milestoneOfTask(repo, route.task);
        if (milestone === null) return;
        const seen = seenUpTo.get(keyOf(repo, milestone));
        if (route.happenedAt !== undefined && seen !== undefined && route.happenedAt + seenMarginMs <= seen) {
          // Delivered late: a finished reconcile already read the world after it happened.
          stats.ignored += 1;
          log.debug({ task: route.task, milestone }, "event already seen by a reconcile");
          return;
        }
        requestReconcile(repo, milestone, activeSpanContext());
        return;
      }
      case "config-changed":
        configCache.delete(`${repo.owner}/${repo.repo}`);
        for (const { repo: r, milestone } of known.values()) if (r.owner === repo.owner && r.repo === repo.repo) requestReconcile(r, milestone, activeSpanContext());
        return;
      case "repository":
        for (const { repo: r, milestone } of known.values()) if (r.owner === repo.owner && r.repo === repo.repo) requestReconcile(r, milestone, activeSpanContext());
        return;
      case "command": {
        stats.commands += 1;
        const gateway = await gatewayFor(repo);
        const { botLogin } = await whoAmI();
        const configResult = await configFor(repo, gateway);
        await handleCommand(
          {
            gateway,
            configResult,
            clock,
            log,
            botLogin,
            planners: options.planners,
            requestReconcile: (m) => requestReconcile(repo, m, activeSpanContext()),
            refusals: { limiter: refusalLimiter, repo: `${repo.owner}/${repo.repo}` },
          },
          route,
        );
        log.debug({ sender }, "command handled");
        return;
      }
    }
  }

  /** An `agent:<name>` label naming no configured agent gets one reply listing the known ones. */
  async function answerUnknownAgent(repo: RepoKey, labelled: { issue: number; name: string }): Promise<void> {
    const gateway = await gatewayFor(repo);
    const config = await configFor(repo, gateway);
    if (!config.ok || config.config.agents.some((a) => a.name === labelled.name)) return;
    const { botLogin } = await whoAmI();
    const known = config.config.agents.map((a) => `\`agent:${a.name}\``).join(", ");
    await replyOnce(gateway, labelled.issue, botLogin, labelled.issue, `unknown-agent:${labelled.name}`, `There is no agent called \`${labelled.name}\` in this repository's configuration, so nothing was started. Known agents: ${known}.`);
  }

  const appFn: ApplicationFunction = (app) => {
    probot = app;
    log = app.log;
    app.onAny(async (context) => {
      stats.events += 1;
      const payload = context.payload as { action?: string; installation?: { id?: number }; repository?: { name?: string; owner?: { login?: string } }; sender?: { login?: string } };
      const owner = payload.repository?.owner?.login;
      const name = payload.repository?.name;
      const attributes = { [ATTR.delivery]: context.id, [ATTR.event]: context.name, ...(owner && name ? { [ATTR.repository]: `${owner}/${name}` } : {}) };
      await inSpan(`webhook ${context.name}`, { parent: null, attributes }, () => onDelivery(context.name, context.id, context.payload, payload));
    });
    if (options.resyncMs && options.resyncMs > 0) scheduleResync(options.resyncMs);
  };

  async function onDelivery(
    event: string,
    delivery: string,
    raw: unknown,
    payload: { action?: string; installation?: { id?: number }; repository?: { name?: string; owner?: { login?: string } }; sender?: { login?: string } },
  ): Promise<void> {
    const installationId = payload.installation?.id;
    const owner = payload.repository?.owner?.login;
    const name = payload.repository?.name;
    const context = { name: event, payload: raw as never };
    if (!installationId || !owner || !name) {
      stats.ignored += 1;
      observer.webhook({ name: event, action: payload.action, delivery, outcome: "ignored", reason: "no installation or repository" });
      return;
    }
    const repo: RepoKey = { installationId, owner, repo: name };
    // Every report of a run goes into the ledger, also the ones that trigger no reconcile.
    const run = context.name === "workflow_run" ? runFromWebhook(context.payload) : null;
    // A record that fails is a missed webhook: the ledger's freshness window covers it.
    if (run) await runLedger.record(`${owner}/${name}`, run).catch((error: unknown) => log.warn({ err: error }, "run ledger: record failed"));
    const me = await whoAmI();
    const route = routeEvent(context.name, context.payload, { botLogin: me.botLogin, appSlug: me.slug });
    observer.webhook({ name: event, action: payload.action, delivery, outcome: route.kind === "ignore" ? "ignored" : "routed", ...(route.kind === "ignore" ? { reason: route.reason } : {}) });
    // Answer GitHub at once; the work continues in the background (GitHub waits 10 s at most).
    const routed = () => inSpan(`route ${route.kind}`, { attributes: { [ATTR.route]: route.kind, [ATTR.delivery]: delivery } }, () => onRoute(route, repo, payload.sender?.login));
    const work = route.kind === "command" ? commands.run(`${repo.installationId}:${repo.owner}/${repo.repo}`, routed) : routed();
    void track(work).catch((error) => log.error({ err: error, event: context.name, delivery }, "event handling failed"));
  }

  function scheduleResync(every: number): void {
    clock.setTimer(every, () => {
      if (stopped) return;
      for (const { repo, milestone } of known.values()) requestReconcile(repo, milestone);
      scheduleResync(every);
    });
  }

  const runtime: ArchitectRuntime = {
    stats,
    queueDepth: () => queue.pending,
    async idle() {
      // Work can spawn work (a command asks for a reconcile); wait until everything is quiet.
      for (;;) {
        await queue.idle();
        if (inflight.size === 0 && queue.pending === 0) return;
        await Promise.allSettled([...inflight]);
      }
    },
    async sweep() {
      const app = probot as Probot;
      const octokit = await app.auth();
      installHttpPolicy(octokit as unknown as HookableOctokit, policy());
      instrument(octokit);
      const installations = (await octokit.request("GET /app/installations", { per_page: 100 })).data as { id: number }[];
      for (const installation of installations) {
        const repos = await listInstallationRepos(app, installation.id);
        for (const repo of repos) {
          const gateway = await gatewayFor(repo);
          for (const milestone of await gateway.listOpenMilestones()) requestReconcile(repo, milestone);
        }
      }
    },
    stop() {
      stopped = true;
      for (const cancel of wakeTimers.values()) cancel();
      wakeTimers.clear();
    },
  };

  async function listInstallationRepos(app: Probot, installationId: number): Promise<RepoKey[]> {
    const octokit = await app.auth(installationId);
    installHttpPolicy(octokit as unknown as HookableOctokit, policy());
    instrument(octokit);
    const { data } = await octokit.request("GET /installation/repositories", { per_page: 100 });
    return (data as { repositories: { name: string; owner: { login: string } }[] }).repositories.map((r) => ({ installationId, owner: r.owner.login, repo: r.name }));
  }

  return { appFn, runtime };
}
