import { run } from "probot";
import { buildArchitectFromEnv } from "./app/build-from-env.js";
import { ArchitectOctokit } from "./app/octokit-class.js";
import { createScaleOut } from "./app/scale-out.js";

/**
 * Production entry point (the Docker image runs this). No logic here: read the
 * environment, compose the app, start Probot's server, sweep open milestones.
 */
async function main(): Promise<void> {
  if (!process.env.WEBHOOK_SECRET) {
    // Probot would fall back to the secret "development", which anyone can sign with.
    console.error("WEBHOOK_SECRET is not set: refusing to start without webhook signature verification.");
    process.exit(1);
  }
  const scaleOut = await createScaleOut(process.env);
  const { appFn, runtime } = buildArchitectFromEnv(process.env, scaleOut);
  const server = await run(appFn, { Octokit: ArchitectOctokit });
  runtime.sweep().catch((error) => console.error("startup sweep failed; the periodic resync will retry", error));
  const stop = async () => {
    runtime.stop();
    await server.stop();
    await scaleOut.close?.();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
