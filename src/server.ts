import { existsSync } from "node:fs";
import { createProbot, run } from "probot";
import { buildArchitectFromEnv } from "./app/build-from-env.js";
import { startArchitectServer } from "./app/http-server.js";
import { credentialProblem } from "./app/startup-env.js";
import { ArchitectOctokit } from "./app/octokit-class.js";
import { createScaleOut } from "./app/scale-out.js";
import { createServerLogger } from "./app/logger.js";
import { createMetrics } from "./observability/metrics.js";
import { createMetricsEndpoint } from "./observability/metrics-endpoint.js";
import { startTracingFromEnv } from "./observability/otel-sdk.js";

/**
 * Production entry point (the Docker image runs this). No logic here: read the
 * environment, compose the app, serve webhooks, sweep open milestones.
 */
async function main(): Promise<void> {
  // The setup flow writes credentials to .env; a real environment wins over it.
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (!process.env.APP_ID && process.env.NODE_ENV !== "production") {
    // First start: Probot's setup page registers the App from app.yml (manifest flow) and
    // writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env; restart afterwards.
    await run(() => {});
    return;
  }
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    // Probot would fall back to the secret "development", which anyone can sign with.
    console.error("WEBHOOK_SECRET is not set: refusing to start without webhook signature verification.");
    process.exit(1);
  }
  const problem = credentialProblem(process.env);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  // Traces only when the standard OTEL_* variables ask for them (src/observability/otel-sdk.ts).
  const tracing = await startTracingFromEnv(process.env);
  const scaleOut = await createScaleOut(process.env);
  // JSON logs in production (src/app/logger.ts); Probot's pretty format otherwise.
  const log = createServerLogger(process.env);
  // Architect paces and retries requests itself (and shares that through Redis), so Probot
  // gets no Redis config of its own.
  const probot = createProbot({ overrides: { Octokit: ArchitectOctokit, redisConfig: undefined, ...(log ? { log } : {}) } });
  const metrics = createMetrics({ processMetrics: true });
  const { appFn, runtime } = buildArchitectFromEnv(process.env, { ...scaleOut, observer: metrics.observer });
  metrics.setQueueDepth(() => runtime.queueDepth());
  metrics.setRedisProbe(scaleOut.available ?? null);
  const server = await startArchitectServer({
    probot,
    appFn,
    webhookPath: process.env.WEBHOOK_PATH,
    secrets: [secret, process.env.WEBHOOK_SECRET_PREVIOUS].filter((s): s is string => Boolean(s)),
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? "localhost",
    handlers: [createMetricsEndpoint(metrics, { token: process.env.METRICS_TOKEN })],
    observer: metrics.observer,
  });
  probot.log.info(`Architect listening on ${server.url}`);
  runtime.sweep().catch((error) => probot.log.error({ err: error }, "startup sweep failed; the periodic resync will retry"));
  const stop = async () => {
    runtime.stop();
    await server.close();
    await scaleOut.close?.();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

void main();
