import { Writable } from "node:stream";
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createProbot } from "probot";
import { createServerLogger } from "../../src/app/logger.js";

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

describe("the server's logger", () => {
  it("logs one JSON object a line under NODE_ENV=production, with the `name` key once, through Probot", async () => {
    const { stream, lines } = capture();
    const env = { NODE_ENV: "production", LOG_LEVEL: "info" } as NodeJS.ProcessEnv;
    const log = createServerLogger(env, stream);
    expect(log).not.toBeNull();
    const probot = createProbot({ env, overrides: { appId: 1, privateKey, secret: "s", log: log! } });
    await probot.load(() => {});
    probot.log.info({ correlation_id: "m1-t2" }, "agent run dispatched");
    const line = lines.at(-1)!;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ name: "probot", msg: "agent run dispatched", correlation_id: "m1-t2", level: 30 });
    expect(line.match(/"name":/g)).toHaveLength(1);
  });

  it("leaves the pretty format to Probot outside production unless LOG_FORMAT=json", () => {
    expect(createServerLogger({ NODE_ENV: "development" })).toBeNull();
    expect(createServerLogger({})).toBeNull();
    expect(createServerLogger({ LOG_FORMAT: "json" })).not.toBeNull();
    expect(createServerLogger({ NODE_ENV: "production", LOG_FORMAT: "pretty" })).toBeNull();
  });
});
