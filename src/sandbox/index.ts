import { randomBytes } from "node:crypto";
import { realClock, type Clock } from "../shared/clock.js";
import { startAgentRunner } from "./actors/agent-runner.js";
import { startCi } from "./actors/ci.js";
import { setupRepo, type RepoSetup } from "./actors/maintainer.js";
import { startReviewer } from "./actors/reviewer.js";
import type { ActorScript } from "./actors/script.js";
import { ActorTimers } from "./actors/timers.js";
import { Serializer } from "./emulator/serialize.js";
import { startEmulator, type Emulator, type GraphqlHandler } from "./emulator/server.js";
import type { App, Installation, Repo, User, World } from "./emulator/state.js";
import { WebhookDeliverer, type DeliveryOptions } from "./emulator/webhooks.js";

export type { ActorScript, AgentBehaviour, AgentOutcome, TaskRef } from "./actors/script.js";
export type { DeliveryOptions, DeliveryRecord } from "./emulator/webhooks.js";
export type { FaultSpec, FaultKind, FaultMatch } from "./emulator/faults.js";
export type { Emulator, EmulatorOptions, GraphqlHandler, GraphqlAuth } from "./emulator/server.js";
export { startEmulator } from "./emulator/server.js";
export { World } from "./emulator/state.js";
export { signPayload } from "./emulator/webhooks.js";
export { setupRepo, openMilestone, comment, label, agentWorkflowText } from "./actors/maintainer.js";

export interface SandboxOptions {
  /** Sandbox time (default real time). Use scaledClock to compress a long scenario. */
  clock?: Clock;
  /** Where Architect's webhooks go; may be set later with `setWebhookUrl` (once Probot listens). */
  webhookUrl?: string | null;
  /** Default: random. */
  webhookSecret?: string;
  /** Scripts for the agent runner, CI and reviewer; `false` disables all actors. */
  actors?: ActorScript | false;
  /** Enforce secondary rate limits (default false). */
  rateLimits?: boolean;
  delivery?: DeliveryOptions;
  repo?: RepoSetup;
  /** Slug of the App under test (default `architect`). */
  appSlug?: string;
  port?: number;
  graphqlHandler?: (world: World) => GraphqlHandler;
}

/** What the Probot app needs to run against the sandbox. */
export interface AppRegistration {
  appId: number;
  privateKeyPem: string;
  webhookSecret: string;
  installationId: number;
  slug: string;
  /** Octokit `baseUrl`. */
  baseUrl: string;
}

export interface Sandbox {
  emulator: Emulator;
  url: string;
  state: World;
  repo: Repo;
  maintainer: User;
  app: App;
  installation: Installation;
  webhooks: WebhookDeliverer;
  /** Errors thrown by scripted actors (a test should assert this stays empty). */
  actorErrors: unknown[];
  registerApp(): AppRegistration;
  setWebhookUrl(url: string): void;
  /** Resolves when no webhook delivery is pending. */
  idle(): Promise<void>;
  /**
   * Waits (in real time) until no delivery is pending and no actor timer is armed, or the
   * timeout passes; returns false on timeout. For scaled clocks; with a manual clock,
   * advance the clock and call `idle()` instead.
   */
  settle(options?: { timeoutMs?: number; pollMs?: number }): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * One call for a whole scenario: emulator over HTTP, the scenario repository with a
 * protected default branch and the agent workflow, the App under test installed on it,
 * signed webhook delivery, and scripted agent / CI / reviewer actors.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? realClock;
  const emulator = await startEmulator({ clock, rateLimits: options.rateLimits, port: options.port, graphqlHandler: options.graphqlHandler });
  const world = emulator.state;
  const { repo, maintainer } = setupRepo(world, options.repo);
  const secret = options.webhookSecret ?? randomBytes(16).toString("hex");
  const app = world.createApp({ slug: options.appSlug ?? "architect", name: "Architect", webhookUrl: options.webhookUrl ?? null, webhookSecret: secret });
  const installation = world.installApp(app, repo.owner, [repo]);
  const webhooks = new WebhookDeliverer(world, new Serializer(world), clock, options.delivery);
  webhooks.start();

  const timers = new ActorTimers(clock);
  const actorErrors: unknown[] = [];
  const onError = (error: unknown) => actorErrors.push(error);
  const stops: (() => void)[] = [];
  if (options.actors !== false) {
    const script = options.actors ?? {};
    const disabled = new Set(script.disable ?? []);
    if (!disabled.has("agent")) stops.push(startAgentRunner(world, timers, script.agent, onError));
    if (!disabled.has("ci")) stops.push(startCi(world, timers, script.ci, onError));
    if (!disabled.has("reviewer")) {
      world.setCollaborator(repo, script.reviewer?.login ?? "reviewer", "write");
      stops.push(startReviewer(world, timers, script.reviewer, script.ci?.checkName ?? "ci/test", onError));
    }
  }

  return {
    emulator,
    url: emulator.url,
    state: world,
    repo,
    maintainer,
    app,
    installation,
    webhooks,
    actorErrors,
    registerApp: () => ({
      appId: app.id,
      privateKeyPem: app.privateKeyPem,
      webhookSecret: secret,
      installationId: installation.id,
      slug: app.slug,
      baseUrl: emulator.url,
    }),
    setWebhookUrl: (url) => {
      app.webhookUrl = url;
    },
    idle: () => webhooks.idle(),
    settle: async ({ timeoutMs = 30_000, pollMs = 5 } = {}) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        await webhooks.idle();
        if (timers.pending() === 0 && webhooks.pendingCount() === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      return false;
    },
    close: async () => {
      for (const stop of stops) stop();
      timers.cancelAll();
      webhooks.stop();
      await emulator.close();
    },
  };
}
