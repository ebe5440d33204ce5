import { describe, expect, it } from "vitest";
import { statusOf, useSandboxWithClients } from "./helpers.js";

const setup = useSandboxWithClients();

describe("secondary rate limit", () => {
  it("refuses the 81st content-creating request in a minute with 403 and retry-after, then recovers", async () => {
    const { app, o, clock, sandbox } = await setup({ rateLimits: true });
    const create = () => app.request("POST /repos/{owner}/{repo}/labels", { ...o, name: `l${Math.random()}` });
    for (let i = 0; i < 80; i++) {
      await create();
      clock.advance(100);
    }
    // Reads never count.
    expect((await app.request("GET /repos/{owner}/{repo}/labels", o)).status).toBe(200);
    const refused = await create().catch((e) => e);
    expect(refused.status).toBe(403);
    expect(refused.response.data.message).toMatch(/secondary rate limit/);
    const retryAfter = Number(refused.response.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sandbox.emulator.requestLog.secondaryRateLimited).toBe(1);
    clock.advance(retryAfter * 1000);
    expect(await statusOf(create())).toBe("ok");
  });

  it("enforces 500 per hour even when paced under 80 per minute", async () => {
    const { app, o, clock } = await setup({ rateLimits: true });
    let refusedAt = -1;
    for (let i = 0; i < 510 && refusedAt < 0; i++) {
      if ((await statusOf(app.request("POST /repos/{owner}/{repo}/labels", { ...o, name: `h${i}` }))) === 403) refusedAt = i;
      clock.advance(1_000);
    }
    expect(refusedAt).toBe(500);
  }, 60_000);

  it("is off unless asked for", async () => {
    const { app, o } = await setup();
    for (let i = 0; i < 85; i++) await app.request("POST /repos/{owner}/{repo}/labels", { ...o, name: `n${i}` });
    expect((await app.request("GET /repos/{owner}/{repo}/labels", { ...o, per_page: 100 })).data).toHaveLength(85);
  });
});

describe("faults", () => {
  it("status faults fire the given number of times and touch nothing", async () => {
    const { app, o, sandbox, repo } = await setup();
    sandbox.emulator.addFault({ match: { method: "POST", route: "/repos/{owner}/{repo}/issues" }, kind: "status", status: 500, times: 1 });
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "x" }))).toBe(500);
    expect(repo.issues.size).toBe(0);
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "x" }))).toBe("ok");
  });

  it("commit-then-fail applies the write and answers 502", async () => {
    const { app, o, sandbox, repo } = await setup();
    sandbox.emulator.addFault({ match: { route: "/repos/{owner}/{repo}/git/refs" }, kind: "commit-then-fail" });
    const sha = repo.branches.get("main")!;
    expect(await statusOf(app.request("POST /repos/{owner}/{repo}/git/refs", { ...o, ref: "refs/heads/claim", sha }))).toBe(502);
    expect(repo.branches.get("claim")).toBe(sha);
  });

  it("drop-run answers a dispatch with success but creates no run", async () => {
    const { app, o, sandbox, repo } = await setup();
    sandbox.emulator.addFault({ match: { route: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches" }, kind: "drop-run", times: 1 });
    const inputs = { task: "1", milestone: "1", branch: "b", base: "main", run_key: "k", agent: "a", attempt: "1", mode: "initial" };
    const res = await app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...o, workflow_id: "architect-agent.yml", ref: "main", inputs, return_run_details: true } as never);
    expect(res.status).toBe(200);
    expect(repo.runs.size).toBe(0);
    await app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...o, workflow_id: "architect-agent.yml", ref: "main", inputs });
    expect(repo.runs.size).toBe(1);
  });

  it("hang holds the answer until the sandbox clock passes", async () => {
    const { app, o, sandbox, clock } = await setup();
    sandbox.emulator.addFault({ match: { method: "GET", route: "/repos/{owner}/{repo}" }, kind: "hang", ms: 5_000 });
    let done = false;
    const pending = app.request("GET /repos/{owner}/{repo}", o).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    clock.advance(5_000);
    await pending;
    expect(done).toBe(true);
  });

  it("probability faults are reproducible from the seed", async () => {
    const pattern = async () => {
      const { app, o, sandbox } = await setup();
      sandbox.emulator.addFault({ match: { method: "GET" }, kind: "status", status: 503, probability: 0.5, seed: 42 });
      const statuses: (number | "ok")[] = [];
      for (let i = 0; i < 12; i++) statuses.push(await statusOf(app.request("GET /repos/{owner}/{repo}", o)));
      return statuses;
    };
    const first = await pattern();
    expect(first).toContain(503);
    expect(first).toContain("ok");
    expect(await pattern()).toEqual(first);
  });
});
