import { randomUUID } from "node:crypto";
import { percentile } from "./stats.js";
import { postWebhook, type CapturedDelivery } from "./webhook-proxy.js";

/**
 * Webhook capacity at zero latency: real deliveries captured during a run are replayed
 * to the app as fast as it answers (a few in flight), each under a fresh delivery id so
 * deduplication does not short-cut them. Comments are left out: a replayed
 * `/architect plan` would be a new command, not a repeated event.
 */
export interface WebhookBurst {
  deliveries: number;
  concurrency: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export async function webhookBurst(url: string, captured: readonly CapturedDelivery[], total = 400, concurrency = 4): Promise<WebhookBurst> {
  const pool = captured.filter((d) => d.headers["x-github-event"] !== "issue_comment");
  if (pool.length === 0) return { deliveries: 0, concurrency, eventsPerSecond: NaN, p50Ms: NaN, p99Ms: NaN, non2xx: 0 };
  const times: number[] = [];
  let non2xx = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const d = pool[next++ % pool.length] as CapturedDelivery;
      const t0 = performance.now();
      const answer = await postWebhook(url, { ...d.headers, "x-github-delivery": randomUUID() }, d.body);
      times.push(performance.now() - t0);
      if (answer.status < 200 || answer.status > 299) non2xx++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { deliveries: times.length, concurrency, eventsPerSecond: times.length / seconds, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), non2xx };
}
