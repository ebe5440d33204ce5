import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/core/markers/markers.js";
import { GitHubApi } from "../../src/agent-runner/github-api.js";
import { runPrepare } from "../../src/agent-runner/prepare.js";
import { runPublish } from "../../src/agent-runner/publish.js";
import { NoChangesError, runAgent } from "../../src/agent-runner/run-agent.js";
import type { RunnerEnv } from "../../src/agent-runner/runner-env.js";
import { fakeGitHub, testInputs } from "./helpers.js";

/**
 * The runner's three steps end to end against real git repositories on disk and a fake
 * GitHub REST API: prepare → agent (in one checkout) → publish (in a fresh checkout),
 * as the workflow's two jobs do.
 */

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();

/** A fake GitHub API for the task's repository. */
function fakeApi(config: string | null, issueState = "open") {
  const { calls, fetch } = fakeGitHub({
    "GET /repos/acme/shop/issues/7": () => [200, { number: 7, title: "Add the API", body: "Build it.\n<!-- hidden -->\n## Acceptance\n- works", state: issueState }],
    "GET /repos/acme/shop/contents/.github/architect.yml": () => (config === null ? [404, { message: "Not Found" }] : [200, config]),
    "GET /repos/acme/shop/pulls": () => [200, []],
    "POST /repos/acme/shop/pulls": () => [201, { number: 5, html_url: "https://github.com/acme/shop/pull/5", head: { sha: "x", ref: "architect/7-api" }, base: { ref: "main" } }],
  });
  return { calls, api: new GitHubApi({ apiUrl: "https://api.github.com", token: "t", repository: "acme/shop", fetch }) };
}

let root: string;
let origin: string;

function checkout(name: string): string {
  const dir = join(root, name);
  git(root, "clone", "--quiet", "--branch", "architect/7-api", origin, dir);
  return dir;
}

function runnerEnv(worktree: string, agent: string): RunnerEnv {
  return {
    inputs: testInputs({ agent }),
    repository: "acme/shop",
    apiUrl: "https://api.github.com",
    serverUrl: "https://github.com",
    workflowSha: "a".repeat(40),
    runUrl: "https://github.com/acme/shop/actions/runs/1",
    worktree,
    stateDir: join(root, "state"),
  };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "architect-runner-"));
  origin = join(root, "origin.git");
  git(root, "init", "--quiet", "--bare", origin);
  const seed = join(root, "seed");
  git(root, "init", "--quiet", seed);
  writeFileSync(join(seed, "README.md"), "# shop\n");
  git(seed, "add", ".");
  git(seed, "commit", "--quiet", "-m", "init");
  git(seed, "push", "--quiet", origin, "HEAD:refs/heads/main", "HEAD:refs/heads/architect/7-api");
});

describe("prepare → agent → publish", () => {
  it("turns a scripted agent's change into a pushed commit and a PR with the run marker", async () => {
    const { api, calls } = fakeApi("agents:\n  - name: smoke\n    tool: scripted\n");
    const agentTree = checkout("agent");
    const { prompt, plan } = await runPrepare(runnerEnv(agentTree, "smoke"), api);
    expect(plan).toEqual({ kind: "scripted", tool: "scripted" });
    expect(prompt).toContain("# Task #7: Add the API");
    expect(prompt).not.toContain("hidden");
    expect(calls.find((c) => c.path.endsWith("/contents/.github/architect.yml"))).toBeDefined();

    const { paths } = await runAgent(runnerEnv(agentTree, "smoke"), process.env);
    expect(paths).toEqual([".architect/runs/task-7.md"]);

    const publishTree = checkout("publish");
    const result = await runPublish(runnerEnv(publishTree, "smoke"), api, "token", { name: "architect[bot]", email: "bot@example.com" }, process.env);
    expect(result).toMatchObject({ created: true, pull: { number: 5 } });

    expect(git(origin, "log", "-1", "--format=%an|%s", "architect/7-api")).toBe("architect[bot]|architect: task #7 (initial run 1)");
    expect(git(origin, "show", "architect/7-api:.architect/runs/task-7.md")).toContain("- run 1/7/1/initial (attempt 1)");
    const created = calls.find((c) => c.method === "POST")?.body as { title: string; head: string; base: string; body: string };
    expect(created).toMatchObject({ title: "Add the API (#7)", head: "architect/7-api", base: "main" });
    expect(created.body.startsWith("Closes #7\n")).toBe(true);
    expect(decodeMarker("run", created.body)).toEqual({ task: 7, runKey: "1/7/1/initial", correlationId: "m1001-t7" });
  });

  it("fails with 'agent produced no changes' when the tool changes nothing", async () => {
    const { api } = fakeApi("agents:\n  - name: idle\n    tool: command\n    command: [node, -e, '0']\n");
    const tree = checkout("agent");
    await runPrepare(runnerEnv(tree, "idle"), api);
    await expect(runAgent(runnerEnv(tree, "idle"), process.env)).rejects.toThrow(NoChangesError);
    await expect(runAgent(runnerEnv(tree, "idle"), process.env)).rejects.toThrow("agent produced no changes");
  });

  it("gives a command tool the prompt file but not the GitHub token", async () => {
    const script = "const fs=require('fs');fs.writeFileSync('seen.json',JSON.stringify({prompt:fs.readFileSync(process.argv[1],'utf8'),token:process.env.GITHUB_TOKEN??null,key:process.env.ANTHROPIC_API_KEY??null}))";
    const { api } = fakeApi(`agents:\n  - name: mine\n    tool: command\n    command: [node, -e, ${JSON.stringify(script)}, '{prompt_file}']\n`);
    const tree = checkout("agent");
    await runPrepare(runnerEnv(tree, "mine"), api);
    await runAgent(runnerEnv(tree, "mine"), { ...process.env, GITHUB_TOKEN: "ghs_secret", ANTHROPIC_API_KEY: "model-key" });
    const seen = JSON.parse(readFileSync(join(tree, "seen.json"), "utf8")) as { prompt: string; token: string | null; key: string | null };
    expect(seen.prompt).toContain("# Task #7: Add the API");
    expect(seen.token).toBeNull();
    expect(seen.key).toBe("model-key");
  });

  it("refuses an agent change to a workflow file, in the agent job and again in publish", async () => {
    const script = "const fs=require('fs');fs.mkdirSync('.github/workflows',{recursive:true});fs.writeFileSync('.github/workflows/evil.yml','on: push')";
    const { api } = fakeApi(`agents:\n  - name: evil\n    tool: command\n    command: [node, -e, ${JSON.stringify(script)}]\n`);
    const tree = checkout("agent");
    await runPrepare(runnerEnv(tree, "evil"), api);
    await expect(runAgent(runnerEnv(tree, "evil"), process.env)).rejects.toThrow(/forbidden paths:\n- \.github\/workflows\/evil\.yml/);

    // A tampered agent job could upload such a patch anyway: publish checks what git applied.
    git(tree, "add", "--all");
    const patch = execFileSync("git", ["diff", "--cached", "--binary", "HEAD"], { cwd: tree });
    writeFileSync(join(root, "state", "changes.patch"), patch);
    const publishTree = checkout("publish");
    await expect(runPublish(runnerEnv(publishTree, "evil"), api, "token", { name: "b", email: "b@example.com" }, process.env)).rejects.toThrow(/refusing to publish forbidden paths/);
    expect(git(origin, "rev-parse", "architect/7-api")).toBe(git(origin, "rev-parse", "main"));
  });

  it("does not publish when the task was closed while the agent ran", async () => {
    const { api, calls } = fakeApi(null, "closed");
    await expect(runPublish(runnerEnv(checkout("publish"), "claude"), api, "token", { name: "b", email: "b@example.com" }, process.env)).rejects.toThrow(/closed while the agent ran/);
    expect(calls.some((c) => c.method !== "GET")).toBe(false);
  });
});

describe("publish keeps a change within its task's scope", () => {
  /** The App's task issue, scoped to `src/**`, and a repository file with the given enforcement. */
  function scopedApi(enforce: string | null) {
    const comments: { id: number; body: string; user: { login: string } }[] = [];
    const marker = encodeMarker("task", { milestone: 1, planId: "p1", key: "api", dependsOn: [], agent: "wide", scope: ["src/**"], estimate: 1 });
    const script = "const fs=require('fs');fs.mkdirSync('src',{recursive:true});fs.writeFileSync('src/api.ts','x');fs.writeFileSync('README.md','changed')";
    const config = `agents:\n  - name: wide\n    tool: command\n    command: [node, -e, ${JSON.stringify(script)}]\n${enforce ? `scope:\n  enforce: ${enforce}\n` : ""}`;
    const { calls, fetch } = fakeGitHub({
      "GET /repos/acme/shop/issues/7": () => [200, { number: 7, title: "Add the API", body: `Build it.\n${marker}`, state: "open", user: { login: "bot[bot]", type: "Bot" } }],
      "GET /repos/acme/shop/contents/.github/architect.yml": () => [200, config],
      "GET /repos/acme/shop/pulls": () => [200, []],
      "POST /repos/acme/shop/pulls": () => [201, { number: 5, html_url: "https://github.com/acme/shop/pull/5", head: { sha: "x", ref: "architect/7-api" }, base: { ref: "main" } }],
      "GET /repos/acme/shop/issues/7/comments": () => [200, comments],
      "POST /repos/acme/shop/issues/7/comments": (body) => {
        comments.push({ id: comments.length + 1, body: (body as { body: string }).body, user: { login: "bot[bot]" } });
        return [201, comments[comments.length - 1]];
      },
    });
    return { calls, comments, api: new GitHubApi({ apiUrl: "https://api.github.com", token: "t", repository: "acme/shop", fetch }) };
  }

  async function agentChange(api: GitHubApi): Promise<void> {
    const tree = checkout("agent");
    await runPrepare(runnerEnv(tree, "wide"), api);
    await runAgent(runnerEnv(tree, "wide"), process.env);
  }

  const identity = { name: "bot[bot]", email: "bot@example.com" };

  it("refuses by default, comments the files outside once, and pushes nothing", async () => {
    const { api, comments, calls } = scopedApi(null);
    await agentChange(api);
    const publish = () => runPublish(runnerEnv(checkout(`publish-${comments.length}`), "wide"), api, "token", identity, process.env);
    await expect(publish()).rejects.toThrow(/refusing to publish 1 file\(s\) outside the task's scope \(src\/\*\*\):\n- README\.md/);
    expect(git(origin, "rev-parse", "architect/7-api")).toBe(git(origin, "rev-parse", "main"));
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("Architect refused to publish run `1/7/1/initial`");
    expect(comments[0]?.body).toContain("Outside the scope:\n- `README.md`\n");
    expect(calls.some((c) => c.method === "POST" && c.path.endsWith("/pulls"))).toBe(false);
    // The same job run again (a re-run) refuses again without a second comment.
    await expect(publish()).rejects.toThrow(/outside the task's scope/);
    expect(comments).toHaveLength(1);
  });

  it("publishes with `warn`, commenting the files outside", async () => {
    const { api, comments } = scopedApi("warn");
    await agentChange(api);
    const result = await runPublish(runnerEnv(checkout("publish"), "wide"), api, "token", identity, process.env);
    expect(result).toMatchObject({ created: true });
    expect(git(origin, "show", "architect/7-api:README.md")).toBe("changed");
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual([expect.stringContaining("was published, but its change touches 1 file outside")]);
  });
});
