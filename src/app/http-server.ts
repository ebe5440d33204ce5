import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApplicationFunction, Probot } from "probot";
import { createWebhookEndpoint, DEFAULT_MAX_WEBHOOK_BYTES } from "./webhook-endpoint.js";
import type { RouteHandler } from "../observability/metrics-endpoint.js";
import type { ArchitectObserver } from "../observability/observer.js";

export interface ArchitectServerOptions {
  probot: Probot;
  appFn: ApplicationFunction;
  webhookPath?: string;
  secrets: readonly string[];
  maxBytes?: number;
  port: number;
  host: string;
  /** More routes (`/metrics`, the dashboard), tried in order after the webhook endpoint. */
  handlers?: RouteHandler[];
  /** Told about webhooks the endpoint refused (bad signature, wrong method, too large...). */
  observer?: ArchitectObserver;
}

export interface ArchitectServer {
  server: Server;
  /** Base URL the server listens on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  webhookUrl: string;
  close(): Promise<void>;
}

/**
 * The HTTP server of the App: the webhook endpoint (see webhook-endpoint.ts) and `/ping`
 * for health checks. Production and the sandbox run this same code.
 */
export async function startArchitectServer(options: ArchitectServerOptions): Promise<ArchitectServer> {
  const path = options.webhookPath ?? "/api/github/webhooks";
  await options.probot.load(options.appFn);
  const endpoint = createWebhookEndpoint(options.probot, { path, secrets: options.secrets, maxBytes: options.maxBytes ?? DEFAULT_MAX_WEBHOOK_BYTES });
  const handlers = options.handlers ?? [];
  const route = async (req: Parameters<RouteHandler>[0], res: Parameters<RouteHandler>[1]) => {
    if (await endpoint(req, res)) {
      // The event header of a refused delivery is not trusted (nor bounded): it is not a label.
      if (res.statusCode >= 400) options.observer?.webhook?.({ name: "unverified", outcome: "refused", reason: String(res.statusCode) });
      return;
    }
    for (const handler of handlers) if (await handler(req, res)) return;
    if (req.method === "GET" && req.url === "/ping") res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
    else res.writeHead(404).end();
  };
  const server = createServer((req, res) => {
    route(req, res)
      .catch((error) => {
        options.probot.log.error({ err: error }, "request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  const url = `http://${host}:${port}`;
  return {
    server,
    url,
    webhookUrl: `${url}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
