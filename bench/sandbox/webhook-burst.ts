import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { median, percentile } from "./stats.js";
import type { CapturedDelivery } from "./webhook-proxy.js";

/**
 * Webhook capacity: real deliveries captured during a run are replayed as fast as the
 * server answers, a few in flight, each under a fresh delivery id so deduplication does not
 * short-cut them. The load generator is a separate node process (burst-worker.mjs), so
 * its work does not share the measured server's event loop. Comments are left out: a
 * replayed `/architect plan` would be a new command, not a repeated event.
 *
 * The ceiling is a bare Probot app with a no-op handler (Probot's own node middleware,
 * signature check and routing, nothing else), measured in the same run, alternating
 * with Architect, on the same deliveries.
 */
export interface BurstMeasurement {
  deliveries: number;
  concurrency: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export interface WebhookBurst {
  /** Architect, one measurement per round. */
  app: BurstMeasurement[];
  /** The bare Probot app, one measurement per round. */
  bare: BurstMeasurement[];
  /** Medians over the rounds. */
  eventsPerSecond: number;
  p99Ms: number;
  bareEventsPerSecond: number;
  bareP99Ms: number;
  ratio: number;
  outOfProcess: true;
}

const WORKER = fileURLToPath(new URL("./burst-worker.mjs", import.meta.url));

/** One burst against `url` from the worker process. */
export async function burstFromWorker(url: string, deliveries: readonly CapturedDelivery[], total = 2000, concurrency = 4, warmup = 200): Promise<BurstMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), "architect-burst-"));
  const jobFile = join(dir, "job.json");
  writeFileSync(jobFile, JSON.stringify({ url, deliveries, total, concurrency, warmup }));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [WORKER, jobFile], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`burst worker exited with ${code}: ${err.slice(0, 500)}`))));
    });
    const result = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as { times: number[]; seconds: number; non2xx: number };
    return {
      deliveries: result.times.length,
      concurrency,
      eventsPerSecond: result.times.length / result.seconds,
      p50Ms: percentile(result.times, 50),
      p99Ms: percentile(result.times, 99),
      non2xx: result.non2xx,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A Probot app that does nothing with its webhooks, on Probot's own node middleware. */
export async function startBareProbot(secret: string): Promise<{ url: string; close(): Promise<void> }> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const probot = new Probot({ appId: 1, privateKey, secret, log: pino({ level: "silent" }) });
  const path = "/api/github/webhooks";
  const middleware = await createNodeMiddleware(
    (app) => {
      app.onAny(async () => {});
    },
    { probot, webhooksPath: path },
  );
  const server: Server = createServer((req, res) => {
    void Promise.resolve(middleware(req, res, () => {
      res.statusCode = 404;
      res.end();
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Rounds of (Architect, bare Probot) bursts on the same deliveries; medians over the rounds. */
export async function webhookBurst(appUrl: string, secret: string, captured: readonly CapturedDelivery[], options: { rounds?: number; total?: number; concurrency?: number } = {}): Promise<WebhookBurst | null> {
  const pool = captured.filter((d) => d.headers["x-github-event"] !== "issue_comment");
  if (pool.length === 0) return null;
  const bareServer = await startBareProbot(secret);
  const app: BurstMeasurement[] = [];
  const bare: BurstMeasurement[] = [];
  try {
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      app.push(await burstFromWorker(appUrl, pool, options.total, options.concurrency));
      bare.push(await burstFromWorker(bareServer.url, pool, options.total, options.concurrency));
    }
  } finally {
    await bareServer.close();
  }
  const eventsPerSecond = median(app.map((m) => m.eventsPerSecond));
  const bareEventsPerSecond = median(bare.map((m) => m.eventsPerSecond));
  return {
    app,
    bare,
    eventsPerSecond,
    p99Ms: median(app.map((m) => m.p99Ms)),
    bareEventsPerSecond,
    bareP99Ms: median(bare.map((m) => m.p99Ms)),
    ratio: eventsPerSecond / bareEventsPerSecond,
    outOfProcess: true,
  };
}
