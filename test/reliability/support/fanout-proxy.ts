import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The load balancer in front of several replicas: the sandbox delivers each webhook to one
 * URL, the proxy passes it on unchanged (body and signature headers) to the replicas in
 * turn ("round-robin") or to all of them ("fan-out", the harshest case: every replica
 * hears every event). It answers with the first replica's status.
 */
export interface FanoutProxy {
  url: string;
  /** Deliveries forwarded per target URL. */
  forwarded: Map<string, number>;
  close(): Promise<void>;
}

export async function startFanoutProxy(targets: readonly string[], mode: "round-robin" | "fan-out"): Promise<FanoutProxy> {
  const forwarded = new Map<string, number>(targets.map((t) => [t, 0]));
  let next = 0;
  const server = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
      const chosen = mode === "fan-out" ? [...targets] : [targets[next++ % targets.length] as string];
      const answers = await Promise.all(
        chosen.map(async (target) => {
          forwarded.set(target, (forwarded.get(target) ?? 0) + 1);
          try {
            const response = await fetch(target, { method: req.method ?? "POST", headers, body });
            await response.arrayBuffer();
            return response.status;
          } catch {
            return 502;
          }
        }),
      );
      res.writeHead(answers[0] ?? 502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
