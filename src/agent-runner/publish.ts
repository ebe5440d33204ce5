import { readFile, stat } from "node:fs/promises";
import { readRepoConfig, REPO_CONFIG_PATH, resolveAgent } from "./agent-config.js";
import { execOk } from "./exec.js";
import { GitHubApiError, type ApiPull, type GitHubApi } from "./github-api.js";
import { findForbiddenPaths, MAX_PATCH_BYTES } from "./patch-guard.js";
import { judgeScope, scopeComment, scopeTopic, trustedScope } from "./scope-guard.js";
import { buildCommitMessage, buildPullBody, buildPullTitle, mergeRunCosts } from "./pr-body.js";
import type { RunnerEnv } from "./runner-env.js";
import { statePath } from "./state-files.js";
import { RunUsage } from "./usage.js";
import { decodeMarker, type RunCost } from "../core/markers/markers.js";

/** Who the commit is by: the App's bot account (from `create-github-app-token`'s `app-slug`). */
export interface GitIdentity {
  name: string;
  email: string;
}

/**
 * The publish job (App token, fresh runner): apply the agent's patch to a clean checkout
 * of the claim branch, check what git says changed, commit, push (fast-forward only), and
 * open the PR or refresh its body. Pushing and opening the PR with the App token, not
 * GITHUB_TOKEN, is what makes the repository's checks run on it.
 */
export async function runPublish(
  env: RunnerEnv,
  api: GitHubApi,
  token: string,
  identity: GitIdentity,
  processEnv: NodeJS.ProcessEnv,
): Promise<{ pull: ApiPull; created: boolean }> {
  const { inputs } = env;
  const issue = await api.getIssue(inputs.task);
  if (issue.state !== "open") throw new Error(`task #${inputs.task} was closed while the agent ran; not publishing`);
  const configText = await api.readFile(REPO_CONFIG_PATH, env.workflowSha);
  const agent = resolveAgent(configText, inputs.agent);

  const patchPath = statePath(env.stateDir, "patch");
  const size = (await stat(patchPath)).size;
  if (size === 0) throw new Error("agent produced no changes");
  if (size > MAX_PATCH_BYTES) throw new Error(`the agent's patch is ${size} bytes, over the ${MAX_PATCH_BYTES}-byte limit`);

  const gitEnv = {
    ...processEnv,
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    // Credentials for this process only, through git's environment config (never in argv or .git/config).
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: `http.${env.serverUrl}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`,
  };
  const git = (args: string[]) => execOk(["git", ...args], { cwd: env.worktree, env: gitEnv, capture: true });

  await git(["apply", "--index", "--binary", "--whitespace=nowarn", patchPath]);
  // Judge what git applied, not the patch text the untrusted job wrote.
  const paths = (await git(["diff", "--cached", "--name-only", "HEAD"])).split("\n").filter(Boolean);
  if (paths.length === 0) throw new Error("agent produced no changes");
  const forbidden = findForbiddenPaths(paths);
  if (forbidden.length > 0) throw new Error(`refusing to publish forbidden paths:\n${forbidden.map((f) => `- ${f.path}: ${f.reason}`).join("\n")}`);
  const scope = trustedScope(issue, identity.name);
  const verdict = judgeScope(paths, scope, readRepoConfig(configText).scope.enforce, agent.tool);
  if (verdict.kind !== "ok") {
    await commentOnce(api, inputs.task, identity.name, scopeTopic(inputs.runKey), scopeComment(verdict, scope, inputs.task, inputs.runKey));
    if (verdict.kind === "block") {
      throw new Error(`refusing to publish ${verdict.outside.length} file(s) outside the task's scope (${scope.join(", ")}):\n${verdict.outside.map((p) => `- ${p}`).join("\n")}`);
    }
  }
  await git(["commit", "--no-verify", "--quiet", "--message", buildCommitMessage(inputs, agent.tool)]);
  // Fast-forward only: if the claim branch moved meanwhile, fail and let Architect retry.
  await git(["push", "origin", `HEAD:refs/heads/${inputs.branch}`]);

  const cost = await readRunCost(env.stateDir, inputs.runKey);
  const existing = await api.findOpenPull(inputs.branch);
  const costs = mergeRunCosts(existing?.body, cost);
  const body = buildPullBody(inputs, { tool: agent.tool, runUrl: env.runUrl, costs });
  return ensurePull(api, { title: buildPullTitle(inputs.task, issue.title), head: inputs.branch, base: inputs.base, body });
}

/**
 * This run's cost from the agent job's usage file, or null when there is none. The file
 * comes from the job that ran the agent, so it is checked like any untrusted input: a
 * malformed one is ignored (the run's cost is then unknown), never trusted or fatal.
 */
export async function readRunCost(stateDir: string, runKey: string): Promise<RunCost | null> {
  const text = await readFile(statePath(stateDir, "usage"), "utf8").catch(() => null);
  if (text === null || text.length > 10_000) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = RunUsage.safeParse(data);
  return parsed.success ? { runKey, ...parsed.data } : null;
}

/** Post `body` on the issue unless the bot already did for this topic (a re-run of the same job). */
async function commentOnce(api: GitHubApi, issue: number, botLogin: string, topic: string, body: string): Promise<void> {
  const existing = await api.listIssueComments(issue);
  const done = existing.some((c) => c.user?.login === botLogin && decodeMarker("reply", c.body)?.topic === topic);
  if (!done) await api.createIssueComment(issue, body);
}

/** Open the PR, or refresh the body of the one already open for this branch (it carries the run marker). */
export async function ensurePull(
  api: GitHubApi,
  pr: { title: string; head: string; base: string; body: string },
): Promise<{ pull: ApiPull; created: boolean }> {
  const existing = await api.findOpenPull(pr.head);
  if (existing) return { pull: await api.updatePull(existing.number, { body: pr.body }), created: false };
  try {
    return { pull: await api.createPull(pr), created: true };
  } catch (error) {
    // Another run opened it between our read and our write: update that one instead.
    if (!(error instanceof GitHubApiError) || error.status !== 422) throw error;
    const raced = await api.findOpenPull(pr.head);
    if (!raced) throw error;
    return { pull: await api.updatePull(raced.number, { body: pr.body }), created: false };
  }
}
