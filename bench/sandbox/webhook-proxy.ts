import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through in front of the app's webhook endpoint that times each delivery from
 * "body received" to the app's answer. Putting it between the sandbox and the app
 * measures the real Probot stack (signature check, routing, handler) without touching
 * either; the extra loopback hop is part of the figure and is small.
 */
export interface TimedDelivery {
  event: string;
  status: number;
  ms: number;
}

/** A delivery as sent, kept so the burst test can replay real traffic. */
export interface CapturedDelivery {
  headers: Record<string, string>;
  body: string;
}

export interface TimingProxy {
  url: string;
  samples: TimedDelivery[];
  captured: CapturedDelivery[];
  close(): Promise<void>;
}

const FORWARDED = ["content-type", "x-github-event", "x-github-delivery", "x-hub-signature-256", "x-hub-signature", "user-agent", "x-github-hook-id", "x-github-hook-installation-target-id", "x-github-hook-installation-target-type"];

/** Start the proxy; point the sandbox's webhook URL at `url`. */
export async function startTimingProxy(target: string): Promise<TimingProxy> {
  const samples: TimedDelivery[] = [];
  const captured: CapturedDelivery[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      captured.push({ headers, body });
      const started = performance.now();
      const answer = await postWebhook(target, headers, body);
      samples.push({ event: headers["x-github-event"] ?? "?", status: answer.status, ms: performance.now() - started });
      res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.text);
    })().catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    samples,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** POST one delivery; the answer's status and text. */
export async function postWebhook(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
