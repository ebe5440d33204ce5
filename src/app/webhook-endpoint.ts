import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";

/**
 * Architect's webhook endpoint, in front of Probot's event dispatch. It owns the edge so
 * every refusal is explicit and cheap: 405 for other methods, 415 for non-JSON, 413 past
 * the size cap (read no further), 400 for missing event headers, 401 for a missing or
 * forged signature (HMAC-SHA256 of the raw bytes, constant-time compare, several secrets
 * accepted during a rotation), 400 for a body that is not JSON. Only then is the event
 * handed to Probot (`webhooks.receive`), whose handlers return at once.
 */
export interface WebhookEndpointOptions {
  path: string;
  /** Current secret first; a previous one may follow during rotation. */
  secrets: readonly string[];
  /** Refuse bodies larger than this (GitHub caps deliveries at 25 MB; Architect needs far less). */
  maxBytes: number;
}

export const DEFAULT_MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/** A Node request handler; resolves true when it answered the request. */
export function createWebhookEndpoint(probot: Probot, options: WebhookEndpointOptions) {
  if (options.secrets.length === 0 || options.secrets.some((s) => s.length === 0)) throw new Error("a webhook secret is required");
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== options.path) return false;
    const refuse = (status: number, message: string) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: message }));
      return true;
    };
    if (req.method !== "POST") return refuse(405, "method not allowed");
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return refuse(415, "content-type must be application/json");
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > options.maxBytes) return refuse(413, "payload too large");
    const event = header(req, "x-github-event");
    const delivery = header(req, "x-github-delivery");
    if (!event || !delivery) return refuse(400, "missing x-github-event or x-github-delivery");
    const signature = header(req, "x-hub-signature-256");
    if (!signature) return refuse(401, "missing signature");

    const body = await readBody(req, options.maxBytes);
    if (body === null) return refuse(413, "payload too large");
    if (!options.secrets.some((secret) => signatureMatches(secret, body, signature))) return refuse(401, "signature does not match");
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      return refuse(400, "body is not JSON");
    }
    try {
      await probot.webhooks.receive({ id: delivery, name: event, payload } as Parameters<Probot["webhooks"]["receive"]>[0]);
    } catch (error) {
      probot.log.error({ err: error, event, delivery }, "webhook handler failed");
      return refuse(500, "handler failed");
    }
    res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    return true;
  };
}

/** `sha256=<hex>` over the raw body; wrong length or non-hex never throws, it just fails. */
export function signatureMatches(secret: string, body: Buffer | string, signature: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1] as string, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The raw body, or null as soon as it passes `maxBytes` (the rest is not read). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", (error) => {
      if (!done) reject(error);
    });
  });
}
