import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";

/**
 * A throwaway `redis-server` for the two-replica tests: own port, no persistence, stopped
 * by the test. A missing binary is a test failure with instructions, never a skip: CI
 * installs the Debian package, and a silently skipped replica test proves nothing.
 */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const REDIS_MISSING =
  "redis-server is not installed; the two-replica tests need it (Debian/Ubuntu: apt-get install redis-server). They are not skipped on purpose.";

export function redisServerAvailable(): boolean {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return probe.status === 0 && /Redis server/i.test(probe.stdout);
}

export async function startRedisServer(): Promise<RedisServer> {
  if (!redisServerAvailable()) throw new Error(REDIS_MISSING);
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await waitForReady(child, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not start on port ${port} within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One redis-server for the calling test file (started before its tests, stopped after)
 * and ioredis clients on it; `disconnectClients` closes those handed out so far (call it
 * in the file's own teardown, after whatever still uses them).
 */
export function redisForThisFile(): { url(): string; client(): Redis; disconnectClients(): void } {
  let server: RedisServer | null = null;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  }, 20_000);
  afterAll(async () => {
    await server?.stop();
  });
  const url = () => {
    if (!server) throw new Error("redis-server is not started yet (use it inside a test)");
    return server.url;
  };
  return {
    url,
    client() {
      const c = new Redis(url(), { maxRetriesPerRequest: 3 });
      clients.push(c);
      return c;
    },
    disconnectClients() {
      for (const c of clients.splice(0)) c.disconnect();
    },
  };
}
