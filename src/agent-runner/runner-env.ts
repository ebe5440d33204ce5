import { join } from "node:path";
import { parseRunnerInputs, type RunnerInputs } from "./inputs.js";

/**
 * Everything the runner reads from its environment, read once and checked. The workflow
 * sets these; GitHub sets the GITHUB_* ones on every runner.
 */
export interface RunnerEnv {
  inputs: RunnerInputs;
  /** `owner/name`. */
  repository: string;
  apiUrl: string;
  serverUrl: string;
  /** The commit the workflow runs from: the default branch when dispatched by Architect. */
  workflowSha: string;
  runUrl: string;
  /** The checkout of the claim branch the agent edits. */
  worktree: string;
  /** Where prompt, plan and patch are kept between steps. */
  stateDir: string;
}

/** Read the runner's environment; throws listing every problem. */
export function readRunnerEnv(env: NodeJS.ProcessEnv): RunnerEnv {
  const parsed = parseRunnerInputs(env);
  const errors = parsed.ok ? [] : [...parsed.errors];
  const repository = env.GITHUB_REPOSITORY ?? "";
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) errors.push("GITHUB_REPOSITORY is missing or malformed");
  const workflowSha = env.GITHUB_SHA ?? "";
  if (!/^[0-9a-f]{40}$/.test(workflowSha)) errors.push("GITHUB_SHA is missing or malformed");
  if (!parsed.ok || errors.length > 0) throw new Error(`invalid runner environment:\n- ${errors.join("\n- ")}`);
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, "");
  const temp = env.RUNNER_TEMP ?? env.TMPDIR ?? "/tmp";
  return {
    inputs: parsed.inputs,
    repository,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl,
    workflowSha,
    runUrl: `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? "0"}`,
    worktree: env.ARCHITECT_WORKTREE ?? process.cwd(),
    stateDir: env.ARCHITECT_STATE_DIR ?? join(temp, "architect"),
  };
}

/** The token this step was given; each step gets only the one it needs. */
export function requireToken(env: NodeJS.ProcessEnv, name: string): string {
  const token = env[name];
  if (!token) throw new Error(`${name} is not set for this step`);
  return token;
}
