import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GitHubApi } from "../agent-runner/github-api.js";
import { INPUT_ENV, parseRunnerInputs, type InputName } from "../agent-runner/inputs.js";
import { runPrepare } from "../agent-runner/prepare.js";
import { runPublish } from "../agent-runner/publish.js";
import { runAgent } from "../agent-runner/run-agent.js";
import type { RunnerEnv } from "../agent-runner/runner-env.js";
import type { Sandbox } from "../sandbox/index.js";
import type { WorkflowRun } from "../sandbox/emulator/state.js";

/**
 * Plays the agent workflow with the runner's own code instead of a script: for each
 * dispatched run it checks the claim branch out of the emulator into a real git
 * repository, runs prepare → agent (the configured tool, e.g. the real Claude Code or
 * Codex CLI) → publish against the emulator's REST API with an installation token, and
 * completes the run. The emulator holds files, not git objects, so a bare repository
 * stands in for the remote: what publish pushes there is copied into the emulator's branch
 * before publish's next API call (the PR), as a push would be on GitHub.
 */
export interface RealAgentOptions {
  /** Model keys and base URLs for the agent step (the only place they go). */
  env: Record<string, string>;
  onError: (error: unknown) => void;
  /** Called with each run's outcome (for demo output). */
  onRun?: (run: { task: number; runKey: string; ok: boolean; error?: string }) => void;
}

export function startRealAgentRunner(sandbox: Sandbox, options: RealAgentOptions): () => void {
  const world = sandbox.state;
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  const stop = world.subscribe((event) => {
    if (event.name !== "workflow_run" || event.action !== "requested") return;
    const run = event.data.run!;
    if (!(run.inputs.task && run.inputs.branch)) return;
    pending++;
    // One run at a time: each spawns a real CLI.
    chain = chain
      .then(() => playRun(sandbox, run, options))
      .catch(options.onError)
      .finally(() => void pending--);
  });
  return stop;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=sandbox", "-c", "user.email=sandbox@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();

async function playRun(sandbox: Sandbox, run: WorkflowRun, options: RealAgentOptions): Promise<void> {
  const world = sandbox.state;
  const repo = sandbox.repo;
  if (run.status === "completed") return;
  world.startRun(repo, run);
  const branch = run.inputs.branch!;
  const base = run.inputs.base || repo.defaultBranch;
  if (!repo.branches.has(branch)) repo.branches.set(branch, repo.branches.get(base)!);

  const root = mkdtempSync(join(tmpdir(), "architect-real-agent-"));
  const origin = join(root, "origin.git");
  git(root, "init", "--quiet", "--bare", origin);
  const seed = join(root, "seed");
  mkdirSync(seed);
  git(seed, "init", "--quiet");
  for (const [path, content] of repo.commits.get(repo.branches.get(branch)!)!.files) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), content);
  }
  git(seed, "add", "--all");
  git(seed, "commit", "--quiet", "--allow-empty", "-m", "checkout");
  git(seed, "push", "--quiet", origin, `HEAD:refs/heads/${branch}`);
  let synced = git(origin, "rev-parse", `refs/heads/${branch}`);

  const values = Object.fromEntries((Object.entries(INPUT_ENV) as [InputName, string][]).map(([name, variable]) => [variable, run.inputs[name] ?? ""]));
  const parsed = parseRunnerInputs(values);
  const runKey = run.inputs.run_key ?? run.displayTitle;
  if (!parsed.ok) {
    world.completeRun(repo, run, "failure");
    options.onRun?.({ task: Number(run.inputs.task), runKey, ok: false, error: parsed.errors.join("; ") });
    return;
  }
  const installation = world.installationFor(sandbox.app, repo)!;
  // Installation tokens expire by wall-clock time (see auth.ts).
  const { token } = world.createInstallationToken(installation, 3_600_000, Date.now());
  // Before each API call, copy what publish pushed to the stand-in remote into the emulator.
  const syncingFetch: typeof fetch = (input, init) => {
    const head = git(origin, "rev-parse", `refs/heads/${branch}`);
    if (head !== synced) {
      const files: Record<string, string | null> = {};
      for (const path of git(origin, "ls-tree", "-r", "--name-only", head).split("\n").filter(Boolean)) {
        files[path] = execFileSync("git", ["show", `${head}:${path}`], { cwd: origin, encoding: "utf8" });
      }
      const current = repo.commits.get(repo.branches.get(branch)!)!.files;
      for (const path of current.keys()) if (!(path in files)) files[path] = null;
      world.pushCommit(repo, branch, files, git(origin, "log", "-1", "--format=%B", head), sandbox.app.botUser);
      synced = head;
    }
    // A kept-alive socket the emulator closed while the agent ran resets at once: try once more.
    return fetch(input, init).catch(() => fetch(input, init));
  };
  const api = new GitHubApi({ apiUrl: sandbox.url, token, repository: repo.fullName, fetch: syncingFetch });
  const env = (worktree: string): RunnerEnv => ({
    inputs: parsed.inputs,
    repository: repo.fullName,
    apiUrl: sandbox.url,
    serverUrl: "https://github.com",
    workflowSha: repo.branches.get(repo.defaultBranch)!,
    runUrl: `https://github.com/${repo.fullName}/actions/runs/${run.id}`,
    worktree,
    stateDir: join(root, "state"),
  });
  const processEnv = { PATH: process.env.PATH ?? "", HOME: join(root, "home"), TMPDIR: join(root, "state"), ...options.env };
  mkdirSync(processEnv.HOME, { recursive: true });
  try {
    const agentTree = join(root, "agent");
    git(root, "clone", "--quiet", "--branch", branch, origin, agentTree);
    await runPrepare(env(agentTree), api);
    await runAgent(env(agentTree), processEnv);
    const publishTree = join(root, "publish");
    git(root, "clone", "--quiet", "--branch", branch, origin, publishTree);
    await runPublish(env(publishTree), api, token, { name: "architect[bot]", email: "architect[bot]@users.noreply.github.com" }, processEnv);
    if (stillOpen(run)) world.completeRun(repo, run, "success");
    options.onRun?.({ task: parsed.inputs.task, runKey, ok: true });
  } catch (error) {
    if (stillOpen(run)) world.completeRun(repo, run, "failure");
    options.onRun?.({ task: parsed.inputs.task, runKey, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

/** Not cancelled meanwhile (a function, so the check is made when called). */
function stillOpen(run: WorkflowRun): boolean {
  return run.status !== "completed";
}
