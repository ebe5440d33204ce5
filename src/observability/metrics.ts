import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ArchitectObserver, MilestoneRef } from "./observer.js";

/**
 * Architect's Prometheus metrics (served at `GET /metrics`, see metrics-endpoint.ts). Fed by
 * the App's observer calls; gauges about milestones (tasks by state, planning spend) are
 * recomputed from each reconcile's snapshot and decision, so a restart rebuilds them with
 * the normal sweep. Label values are bounded: event names, outcomes, request routes (URL
 * templates, never filled-in paths), HTTP statuses and task states.
 */
export interface ArchitectMetrics {
  registry: Registry;
  observer: ArchitectObserver;
  /** Where the queue depth comes from (the App's runtime, bound once it exists). */
  setQueueDepth(source: () => number): void;
  /** Where Redis availability comes from (null: no Redis configured, the gauge is absent). */
  setRedisProbe(probe: (() => boolean) | null): void;
  /** The text a scrape returns. */
  render(): Promise<string>;
  contentType: string;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop); on in production, off in tests. */
  processMetrics?: boolean;
}

const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createMetrics(options: MetricsOptions = {}): ArchitectMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const on = { registers: [registry] };

  const webhooks = new Counter({ name: "architect_webhooks_total", help: "Webhook deliveries by event and outcome (routed, ignored, refused).", labelNames: ["event", "outcome"], ...on });
  const reconciles = new Counter({ name: "architect_reconciles_total", help: "Milestone reconciles by result (ok, error).", labelNames: ["result"], ...on });
  const reconcileSeconds = new Histogram({ name: "architect_reconcile_duration_seconds", help: "Wall-clock duration of one milestone reconcile.", buckets: DURATION_BUCKETS, ...on });
  const passes = new Counter({ name: "architect_reconcile_passes_total", help: "Look-decide-write passes run by reconciles.", ...on });
  const passSeconds = new Histogram({ name: "architect_pass_duration_seconds", help: "Wall-clock duration of one look-decide-write pass.", buckets: DURATION_BUCKETS, ...on });
  const requests = new Counter({ name: "architect_github_requests_total", help: "GitHub API request attempts by route (URL template or GraphQL operation), kind and status (0 = no answer).", labelNames: ["route", "kind", "status"], ...on });
  const requestSeconds = new Histogram({ name: "architect_github_request_duration_seconds", help: "Wall-clock duration of GitHub API requests, retries and waits included.", labelNames: ["kind"], buckets: DURATION_BUCKETS, ...on });
  const rateLimitWait = new Counter({ name: "architect_rate_limit_wait_seconds_total", help: "Time spent waiting on GitHub rate limits before retrying (App clock).", ...on });
  const dispatches = new Counter({ name: "architect_dispatches_total", help: "Agent workflow dispatches sent, by mode (initial, retry, review).", labelNames: ["mode"], ...on });
  const retries = new Counter({ name: "architect_retries_total", help: "Dispatches that retry a task after a failed attempt.", ...on });
  const merges = new Counter({ name: "architect_merges_total", help: "Task pull requests merged by Architect.", ...on });
  const writeFailures = new Counter({ name: "architect_write_failures_total", help: "Writes (or batches) that failed; the next reconcile retries them.", ...on });

  /** Per milestone: the latest task counts by state and the planning usage recorded in its control comment. */
  const views = new Map<string, { states: Record<string, number>; inputTokens: number; outputTokens: number; usd: number }>();
  const keyOf = (ref: MilestoneRef) => `${ref.owner}/${ref.repo}#${ref.milestone}`;
  let queueDepth: () => number = () => 0;
  let redisProbe: (() => boolean) | null = null;

  new Gauge({
    name: "architect_tasks",
    help: "Tasks of the milestones this process reconciles, by state (as of each milestone's latest reconcile).",
    labelNames: ["state"],
    ...on,
    collect() {
      this.reset();
      const totals: Record<string, number> = {};
      for (const view of views.values()) for (const [state, n] of Object.entries(view.states)) totals[state] = (totals[state] ?? 0) + n;
      for (const [state, n] of Object.entries(totals)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: "architect_milestones",
    help: "Milestones this process has reconciled and still tracks.",
    ...on,
    collect() {
      this.set(views.size);
    },
  });
  new Gauge({
    name: "architect_planning_tokens",
    help: "Model tokens spent planning the tracked milestones (from their control records), by direction.",
    labelNames: ["direction"],
    ...on,
    collect() {
      let input = 0;
      let output = 0;
      for (const view of views.values()) {
        input += view.inputTokens;
        output += view.outputTokens;
      }
      this.set({ direction: "input" }, input);
      this.set({ direction: "output" }, output);
    },
  });
  new Gauge({
    name: "architect_planning_cost_usd",
    help: "Dollars spent planning the tracked milestones (from their control records).",
    ...on,
    collect() {
      let usd = 0;
      for (const view of views.values()) usd += view.usd;
      this.set(usd);
    },
  });
  new Gauge({
    name: "architect_queue_depth",
    help: "Milestones scheduled or running in the reconcile queue.",
    ...on,
    collect() {
      this.set(queueDepth());
    },
  });
  new Gauge({
    name: "architect_redis_up",
    help: "1 when the Redis connection shared by replicas is ready, 0 when not (absent without REDIS_URL).",
    labelNames: ["store"],
    ...on,
    collect() {
      this.reset();
      if (redisProbe) this.set({ store: "redis" }, redisProbe() ? 1 : 0);
    },
  });

  const observer: ArchitectObserver = {
    webhook(event) {
      webhooks.inc({ event: event.name, outcome: event.outcome });
    },
    pass(info) {
      passes.inc();
      passSeconds.observe(info.durationMs / 1000);
      if (!info.outcome) return;
      writeFailures.inc(info.outcome.failures.length);
      const failed = new Set(info.outcome.failures.map((f) => /^dispatch #(\d+)/.exec(f)?.[1]).filter((n): n is string => n !== undefined));
      for (const effect of info.effects) {
        if (effect.kind !== "dispatch" || failed.has(String(effect.task))) continue;
        const mode = effect.inputs.mode ?? "initial";
        dispatches.inc({ mode });
        if (mode === "retry") retries.inc();
      }
      merges.inc(info.outcome.merged.length);
    },
    reconciled({ ref, report, durationMs }) {
      reconciles.inc({ result: "ok" });
      reconcileSeconds.observe(durationMs / 1000);
      if (!report.snapshot || !report.decision) {
        views.delete(keyOf(ref));
        return;
      }
      const states: Record<string, number> = {};
      for (const task of report.snapshot.tasks) {
        const state = report.decision.states[task.issue.number]?.state ?? "unknown";
        states[state] = (states[state] ?? 0) + 1;
      }
      const usage = report.snapshot.control?.value.usage ?? [];
      views.set(keyOf(ref), {
        states,
        inputTokens: usage.reduce((s, u) => s + u.inputTokens, 0),
        outputTokens: usage.reduce((s, u) => s + u.outputTokens, 0),
        usd: usage.reduce((s, u) => s + u.usd, 0),
      });
    },
    reconcileFailed() {
      reconciles.inc({ result: "error" });
    },
    request(record) {
      requests.inc({ route: record.label, kind: record.kind, status: String(record.status) });
    },
    requestDone(info) {
      requestSeconds.observe({ kind: info.kind }, info.durationMs / 1000);
    },
    rateLimitWait(ms) {
      rateLimitWait.inc(ms / 1000);
    },
  };

  return {
    registry,
    observer,
    setQueueDepth(source) {
      queueDepth = source;
    },
    setRedisProbe(probe) {
      redisProbe = probe;
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
