import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("the real Probot stack against the sandbox", () => {
  it("verifies signed webhooks, authenticates as the installation and writes back", async () => {
    const sandbox: Sandbox = await createSandbox({ actors: false });
    cleanup.push(() => sandbox.close());
    const reg = sandbox.registerApp();
    const probot = new Probot({
      appId: reg.appId,
      privateKey: reg.privateKeyPem,
      secret: reg.webhookSecret,
      baseUrl: reg.baseUrl,
      logLevel: "warn",
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("issues.opened", async (context) => {
          await context.octokit.rest.issues.createComment(context.issue({ body: `seen #${context.payload.issue.number}` }));
        });
      },
      { probot, webhooksPath: "/api/github/webhooks" },
    );
    const server = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    sandbox.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`);

    const issue = sandbox.state.createIssue(sandbox.repo, { title: "hello", user: sandbox.maintainer });
    await sandbox.idle();
    // The bot's own comment is a new event, delivered too.
    await sandbox.idle();
    expect(sandbox.webhooks.log.map((d) => [d.event, d.status])).toEqual([
      ["issues", "delivered"],
      ["issue_comment", "delivered"],
    ]);
    expect(issue.comments.map((c) => [c.user.login, c.body])).toEqual([["architect[bot]", `seen #${issue.number}`]]);
    const endpoints = Object.keys(sandbox.emulator.requestLog.countsByEndpoint());
    expect(endpoints).toEqual(["POST /app/installations/{installation_id}/access_tokens", "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]);
  });

  it("a tampered signature is refused by Probot", async () => {
    const sandbox: Sandbox = await createSandbox({ actors: false, webhookSecret: "right" });
    cleanup.push(() => sandbox.close());
    const reg = sandbox.registerApp();
    const probot = new Probot({ appId: reg.appId, privateKey: reg.privateKeyPem, secret: "wrong", baseUrl: reg.baseUrl, logLevel: "fatal" });
    let handled = 0;
    const middleware = await createNodeMiddleware((app) => app.onAny(async () => void handled++), { probot, webhooksPath: "/hooks" });
    const server = createServer((req, res) => void middleware(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    sandbox.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
    sandbox.state.createIssue(sandbox.repo, { title: "x", user: sandbox.maintainer });
    await sandbox.idle();
    expect([handled, sandbox.webhooks.log[0]!.status, sandbox.webhooks.log[0]!.statusCode]).toEqual([0, "failed", 400]);
  });
});
