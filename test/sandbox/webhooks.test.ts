import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, it } from "vitest";
import { createSandbox, signPayload, type Sandbox, type DeliveryOptions } from "../../src/sandbox/index.js";
import { ManualClock } from "./manual-clock.js";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

async function receiver(status = 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  return { received, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup) await fn();
  cleanup = [];
});

async function setup(delivery?: DeliveryOptions) {
  const hook = await receiver();
  const clock = new ManualClock();
  const sandbox: Sandbox = await createSandbox({ clock, webhookUrl: hook.url, webhookSecret: "s3cret", actors: false, delivery });
  cleanup.push(() => sandbox.close(), hook.close);
  return { hook, clock, sandbox, world: sandbox.state, repo: sandbox.repo };
}

describe("webhooks", () => {
  it("signs with GitHub's published test vector", () => {
    expect(signPayload("It's a Secret to Everybody", "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });

  it("delivers signed events with GitHub's headers and payload keys", async () => {
    const { hook, sandbox, world, repo } = await setup();
    const issue = world.createIssue(repo, { title: "milestone", body: "plan", user: sandbox.maintainer });
    world.createComment(repo, issue, "/architect plan", sandbox.maintainer);
    await sandbox.idle();
    expect(hook.received.map((r) => `${r.headers["x-github-event"]}.${JSON.parse(r.body).action}`)).toEqual(["issues.opened", "issue_comment.created"]);
    const first = hook.received[0]!;
    expect(await verify("s3cret", first.body, String(first.headers["x-hub-signature-256"]))).toBe(true);
    expect(await verify("wrong", first.body, String(first.headers["x-hub-signature-256"]))).toBe(false);
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
    expect(first.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    const payload = JSON.parse(hook.received[1]!.body);
    expect(payload).toMatchObject({
      action: "created",
      comment: { body: "/architect plan", user: { login: "maintainer" } },
      issue: { number: issue.number, id: issue.id },
      installation: { id: sandbox.installation.id },
      repository: { full_name: repo.fullName },
      sender: { login: "maintainer" },
      organization: { login: repo.owner.login },
    });
  });

  it("emits sub_issues in both directions and issue_dependencies with ids", async () => {
    const { hook, sandbox, world, repo } = await setup();
    const [a, b] = ["a", "b"].map((t) => world.createIssue(repo, { title: t, user: sandbox.maintainer }));
    world.addSubIssue(repo, a!, b!, {}, sandbox.app.botUser);
    world.addBlockedBy(repo, b!, a!, sandbox.app.botUser);
    await sandbox.idle();
    const tail = hook.received.slice(2).map((r) => JSON.parse(r.body));
    expect(tail.map((p) => p.action)).toEqual(["sub_issue_added", "parent_issue_added", "blocked_by_added"]);
    expect(tail[0]).toMatchObject({ parent_issue_id: a!.id, sub_issue_id: b!.id });
    expect(tail[2]).toMatchObject({ blocked_issue_id: b!.id, blocking_issue_id: a!.id });
  });

  it("review webhooks carry lowercase states, as GitHub sends them", async () => {
    const { hook, sandbox, world, repo } = await setup();
    const dev = world.setCollaborator(repo, "dev", "write");
    const rev = world.setCollaborator(repo, "rev", "write");
    world.pushCommit(repo, "f", { x: "1" }, "x", dev);
    const pull = world.openPull(repo, { title: "p", head: "f", base: "main", user: dev });
    world.submitReview(repo, pull, { user: rev, event: "APPROVE" });
    await sandbox.idle();
    const review = hook.received.map((r) => JSON.parse(r.body)).find((p) => p.review);
    expect(review.review.state).toBe("approved");
  });

  it("seeded fault modes drop, duplicate (same GUID) and delay deliveries", async () => {
    const { hook, sandbox, world, repo, clock } = await setup({ seed: 7, dropRate: 0.3, duplicateRate: 0.5, delayMs: 1_000, shuffleWindowMs: 5_000 });
    for (let i = 0; i < 20; i++) world.createIssue(repo, { title: `i${i}`, user: sandbox.maintainer });
    expect(hook.received).toHaveLength(0);
    clock.advance(10_000);
    await sandbox.idle();
    const log = sandbox.webhooks.log;
    const dropped = log.filter((d) => d.status === "dropped").length;
    const delivered = log.filter((d) => d.status === "delivered");
    expect(dropped).toBeGreaterThan(0);
    expect(delivered.length).toBe(hook.received.length);
    const guids = hook.received.map((r) => r.headers["x-github-delivery"]);
    expect(new Set(guids).size).toBeLessThan(guids.length);
    expect(new Set(guids).size).toBe(20 - dropped);
  });
});
