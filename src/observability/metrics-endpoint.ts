import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ArchitectMetrics } from "./metrics.js";

/** A handler the App's HTTP server tries in turn; resolves true when it answered. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * `GET /metrics` in Prometheus text format. With a token (`METRICS_TOKEN`) a scrape must
 * send `Authorization: Bearer <token>` (compared in constant time); without one the
 * endpoint is open, as Prometheus endpoints usually are behind a private network.
 */
export function createMetricsEndpoint(metrics: ArchitectMetrics, options: { token?: string; path?: string } = {}): RouteHandler {
  const path = options.path ?? "/metrics";
  const token = options.token && options.token.length > 0 ? Buffer.from(options.token) : null;
  return async (req, res) => {
    if ((req.url ?? "").split("?")[0] !== path) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return true;
    }
    if (token) {
      const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim() ?? "");
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain" }).end("unauthorized\n");
        return true;
      }
    }
    const body = await metrics.render();
    res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
