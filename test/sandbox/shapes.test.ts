import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxWithClients } from "./helpers.js";
import { toJsonSchema } from "./openapi-schema.js";

const require = createRequire(import.meta.url);
const spec = require("@octokit/openapi/generated/api.github.com.deref.json") as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
};
const ajv = new (Ajv as unknown as typeof Ajv.default)({ strict: false, allErrors: true });
(addFormats as unknown as typeof addFormats.default)(ajv);

/** Validate `data` against the documented response schema; returns ajv's errors (empty when valid). */
function check(route: string, method: string, status: number, data: unknown): string[] {
  const schema = spec.paths[route]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) return [`no schema for ${method} ${route} ${status}`];
  const validate = ajv.compile(toJsonSchema(schema) as object);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

let env: Awaited<ReturnType<typeof sandboxWithClients>>;
beforeAll(async () => {
  env = await sandboxWithClients();
});
afterAll(async () => {
  await env.sandbox.close();
});

describe("responses match GitHub's OpenAPI description", () => {
  it("the validator itself rejects a wrong shape", () => {
    expect(check("/repos/{owner}/{repo}/issues/{issue_number}", "get", 200, { id: "nope" })).not.toEqual([]);
  });

  it("issue, comment, label", async () => {
    const { app, o } = env;
    const issue = await app.request("POST /repos/{owner}/{repo}/issues", { ...o, title: "shape", body: "b", labels: ["architect:task"] });
    expect(check("/repos/{owner}/{repo}/issues", "post", 201, issue.data)).toEqual([]);
    const got = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...o, issue_number: issue.data.number });
    expect(check("/repos/{owner}/{repo}/issues/{issue_number}", "get", 200, got.data)).toEqual([]);
    const comment = await app.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...o, issue_number: issue.data.number, body: "hi" });
    expect(check("/repos/{owner}/{repo}/issues/{issue_number}/comments", "post", 201, comment.data)).toEqual([]);
    const labels = await app.request("GET /repos/{owner}/{repo}/labels", o);
    expect(check("/repos/{owner}/{repo}/labels", "get", 200, labels.data)).toEqual([]);
  });

  it("ref, branch, check run, repository", async () => {
    const { app, o, repo } = env;
    const sha = repo.branches.get("main")!;
    const ref = await app.request("POST /repos/{owner}/{repo}/git/refs", { ...o, ref: "refs/heads/shape", sha });
    expect(check("/repos/{owner}/{repo}/git/refs", "post", 201, ref.data)).toEqual([]);
    const branch = await app.request("GET /repos/{owner}/{repo}/branches/{branch}", { ...o, branch: "main" });
    expect(check("/repos/{owner}/{repo}/branches/{branch}", "get", 200, branch.data)).toEqual([]);
    const run = await app.request("POST /repos/{owner}/{repo}/check-runs", { ...o, name: "architect/dag", head_sha: sha, status: "in_progress", output: { title: "t", summary: "s" } });
    expect(check("/repos/{owner}/{repo}/check-runs", "post", 201, run.data)).toEqual([]);
    const list = await app.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...o, ref: sha });
    expect(check("/repos/{owner}/{repo}/commits/{ref}/check-runs", "get", 200, list.data)).toEqual([]);
    const full = await app.request("GET /repos/{owner}/{repo}", o);
    expect(check("/repos/{owner}/{repo}", "get", 200, full.data)).toEqual([]);
  });

  it("pull request, review, workflow run list", async () => {
    const { app, o, repo, world, as } = env;
    const dev = world.setCollaborator(repo, "dev", "write");
    world.setCollaborator(repo, "rev", "write");
    world.pushCommit(repo, "shape-pr", { "s.md": "s" }, "s", dev);
    const pr = await as("dev").request("POST /repos/{owner}/{repo}/pulls", { ...o, title: "PR", head: "shape-pr", base: "main", body: "Closes #1" });
    expect(check("/repos/{owner}/{repo}/pulls", "post", 201, pr.data)).toEqual([]);
    const got = await app.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...o, pull_number: pr.data.number });
    expect(check("/repos/{owner}/{repo}/pulls/{pull_number}", "get", 200, got.data)).toEqual([]);
    await as("rev").request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...o, pull_number: pr.data.number, event: "APPROVE" });
    const reviews = await app.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...o, pull_number: pr.data.number });
    expect(check("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "get", 200, reviews.data)).toEqual([]);
    const inputs = { task: "1", milestone: "1", branch: "b", base: "main", run_key: "k", agent: "a", attempt: "1", mode: "initial" };
    await app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...o, workflow_id: "architect-agent.yml", ref: "main", inputs });
    const runs = await app.request("GET /repos/{owner}/{repo}/actions/runs", o);
    expect(runs.data.total_count).toBe(1);
    expect(check("/repos/{owner}/{repo}/actions/runs", "get", 200, runs.data)).toEqual([]);
  });

  it("permission and installation", async () => {
    const { app, o, sandbox } = env;
    const perm = await app.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...o, username: "maintainer" });
    expect(check("/repos/{owner}/{repo}/collaborators/{username}/permission", "get", 200, perm.data)).toEqual([]);
    const { Serializer } = await import("../../src/sandbox/emulator/serialize.js");
    const installation = new Serializer(sandbox.state).installation(sandbox.installation);
    expect(check("/repos/{owner}/{repo}/installation", "get", 200, installation)).toEqual([]);
  });
});
