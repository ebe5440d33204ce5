import { afterEach, describe, expect, it } from "vitest";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { createMetrics } from "../../src/observability/metrics.js";

const TWO_TASKS = "## Tasks\n\n- [ ] `api` Add the API\n  - scope: `src/api/**`\n- [ ] `ui` Add the UI\n  - depends on: `api`\n  - scope: `src/ui/**`\n";

/** One sample's value from a Prometheus text scrape, by metric name and exact labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-z_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[3] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[4]);
  }
  return null;
}

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
});

describe("GET /metrics on the App's server", () => {
  it("counts a milestone's webhooks, reconciles, requests, dispatches, merges and tasks, behind a bearer token", async () => {
    stack = await startStack({ metricsToken: "s3cret-scrape" });
    const run = await runMilestone(stack, { title: "Two tasks", body: TWO_TASKS, timeoutMs: 40_000 });
    expect(run.allDone).toBe(true);
    // A delivery with a forged signature is refused at the edge and counted as such.
    const forged = await fetch(stack.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": "d-1", "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, body: "{}" });
    expect(forged.status).toBe(401);

    expect((await fetch(`${stack.serverUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.serverUrl}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const response = await fetch(`${stack.serverUrl}/metrics`, { headers: { authorization: "Bearer s3cret-scrape" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();

    expect(sample(text, "architect_webhooks_total", { event: "issue_comment", outcome: "routed" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "architect_webhooks_total", { event: "unverified", outcome: "refused" })).toBe(1);
    expect(sample(text, "architect_reconciles_total", { result: "ok" })).toBeGreaterThanOrEqual(2);
    expect(sample(text, "architect_reconcile_duration_seconds_count")).toBe(sample(text, "architect_reconciles_total", { result: "ok" }));
    expect(sample(text, "architect_reconcile_passes_total")).toBeGreaterThanOrEqual(sample(text, "architect_reconciles_total", { result: "ok" }) ?? Infinity);
    expect(sample(text, "architect_pass_duration_seconds_count")).toBe(sample(text, "architect_reconcile_passes_total"));
    expect(sample(text, "architect_github_requests_total", { route: "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", kind: "write" })).toBe(2);
    expect(sample(text, "architect_github_request_duration_seconds_count", { kind: "read" })).toBeGreaterThan(0);
    expect(sample(text, "architect_dispatches_total", { mode: "initial" })).toBe(2);
    expect(sample(text, "architect_merges_total")).toBe(2);
    expect(sample(text, "architect_tasks", { state: "done" })).toBe(2);
    expect(sample(text, "architect_milestones")).toBe(1);
    expect(sample(text, "architect_queue_depth")).toBe(0);
    expect(sample(text, "architect_planning_cost_usd")).toBe(0);
    // No Redis configured: no availability sample at all rather than a false "down".
    expect(sample(text, "architect_redis_up")).toBeNull();
  });
});

describe("the metrics observer", () => {
  it("adds up rate-limit waits and reports Redis availability as the probe says", async () => {
    const metrics = createMetrics();
    metrics.observer.rateLimitWait?.(1500);
    metrics.observer.rateLimitWait?.(500);
    let up = true;
    metrics.setRedisProbe(() => up);
    expect(sample(await metrics.render(), "architect_rate_limit_wait_seconds_total")).toBe(2);
    expect(sample(await metrics.render(), "architect_redis_up")).toBe(1);
    up = false;
    expect(sample(await metrics.render(), "architect_redis_up")).toBe(0);
  });
});
