import { createHmac, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Probot } from "probot";
import { pino } from "pino";
import { startArchitectServer, type ArchitectServer } from "../../src/app/http-server.js";
import { signatureMatches } from "../../src/app/webhook-endpoint.js";

describe("signatureMatches", () => {
  it("accepts GitHub's published test vector", () => {
    expect(signatureMatches("It's a Secret to Everybody", "Hello, World!", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")).toBe(true);
  });
  it.each([
    ["a flipped digit", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18"],
    ["a truncated digest", "sha256=757107ea0eb2509fc211221cce984b8a"],
    ["sha1", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d"],
    ["no prefix", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["empty", ""],
  ])("rejects %s without throwing", (_name, signature) => {
    expect(signatureMatches("It's a Secret to Everybody", "Hello, World!", signature)).toBe(false);
  });
});

describe("the webhook endpoint", () => {
  const received: string[] = [];
  let server: ArchitectServer;
  const secret = "current-secret";
  const sign = (body: string, key = secret) => `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(server.webhookUrl, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": "d-1", ...headers } });

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const probot = new Probot({ appId: 1, privateKey, secret, log: pino({ level: "silent" }) });
    server = await startArchitectServer({
      probot,
      appFn: (app) => app.onAny(async (context) => void received.push(context.name)),
      secrets: [secret, "previous-secret"],
      maxBytes: 1024,
      port: 0,
      host: "127.0.0.1",
    });
  });
  afterAll(async () => server.close());

  it("hands a correctly signed event to the app", async () => {
    const body = JSON.stringify({ action: "opened" });
    const res = await post(body, { "x-hub-signature-256": sign(body) });
    expect(res.status).toBe(200);
    expect(received).toContain("issues");
  });

  it("accepts the previous secret during a rotation", async () => {
    const body = JSON.stringify({ action: "closed" });
    expect((await post(body, { "x-hub-signature-256": sign(body, "previous-secret") })).status).toBe(200);
  });

  it.each([
    ["a forged signature", (b: string) => ({ "x-hub-signature-256": sign(b, "guess") }), 401],
    ["no signature", () => ({}), 401],
    ["a signature over other bytes", (b: string) => ({ "x-hub-signature-256": sign(`${b} `) }), 401],
    ["a wrong content type", (b: string) => ({ "x-hub-signature-256": sign(b), "content-type": "text/plain" }), 415],
    ["no event name", (b: string) => ({ "x-hub-signature-256": sign(b), "x-github-event": "" }), 400],
  ])("refuses %s", async (_name, headers, status) => {
    const before = received.length;
    const body = JSON.stringify({ action: "edited" });
    const res = await post(body, headers(body) as Record<string, string>);
    expect(res.status).toBe(status);
    expect(received.length).toBe(before);
  });

  it("refuses an oversized payload with 413 and never hands it on", async () => {
    const before = received.length;
    const body = JSON.stringify({ action: "opened", padding: "x".repeat(4096) });
    const res = await post(body, { "x-hub-signature-256": sign(body) });
    expect(res.status).toBe(413);
    expect(received.length).toBe(before);
  });

  it("refuses a signed body that is not JSON with 400", async () => {
    const body = "{not json";
    expect((await post(body, { "x-hub-signature-256": sign(body) })).status).toBe(400);
  });

  it("answers other methods with 405 and other paths with 404", async () => {
    expect((await fetch(server.webhookUrl)).status).toBe(405);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe("PONG");
  });
});
