import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { exec, execOk, toolEnvironment } from "./exec.js";
import { ARTIFACT_EXCLUDES, findForbiddenPaths } from "./patch-guard.js";
import type { RunnerEnv } from "./runner-env.js";
import { readPlan, statePath, writeState } from "./state-files.js";
import { TOOLS, type ToolPlan } from "./tools.js";

/** The run failed because the agent changed nothing: Architect retries it like any failure. */
export class NoChangesError extends Error {
  constructor() {
    super("agent produced no changes");
    this.name = "NoChangesError";
  }
}

/**
 * Step 2 of the agent job (no GitHub token at all, only the model key): run the planned
 * tool in the checkout, then turn whatever it changed into a binary patch for the publish
 * job. Fails on no changes and on forbidden paths, so a bad run never reaches publish.
 */
export async function runAgent(env: RunnerEnv, processEnv: NodeJS.ProcessEnv): Promise<{ patchPath: string; paths: string[] }> {
  const plan = await readPlan(env.stateDir);
  const git = (args: string[]) => execOk(["git", ...args], { cwd: env.worktree, env: processEnv, capture: true });
  const startSha = (await git(["rev-parse", "HEAD"])).trim();

  if (plan.kind === "scripted") await runScripted(env);
  else await runTool(plan, env, processEnv);

  await git(["add", "--all", "--", ".", ...ARTIFACT_EXCLUDES]);
  const paths = (await git(["diff", "--cached", "--name-only", startSha])).split("\n").filter(Boolean);
  if (paths.length === 0) throw new NoChangesError();
  const forbidden = findForbiddenPaths(paths);
  if (forbidden.length > 0) throw new Error(`agent changed forbidden paths:\n${forbidden.map((f) => `- ${f.path}: ${f.reason}`).join("\n")}`);
  // git writes the file itself: the patch may hold text in any encoding, kept byte for byte.
  const patchPath = await writeState(env.stateDir, "patch", "");
  await git(["diff", "--cached", "--binary", "--no-color", "--no-ext-diff", `--output=${patchPath}`, startSha]);
  return { patchPath, paths };
}

async function runTool(plan: Extract<ToolPlan, { kind: "spawn" }>, env: RunnerEnv, processEnv: NodeJS.ProcessEnv): Promise<void> {
  const keys = TOOLS[plan.tool].keys;
  if (keys.length > 0 && !keys.some((key) => processEnv[key])) {
    throw new Error(`tool '${plan.tool}' needs one of these secrets in the agent step: ${keys.join(", ")}`);
  }
  const promptFile = statePath(env.stateDir, "prompt");
  const childEnv = toolEnvironment(processEnv, {
    ARCHITECT_PROMPT_FILE: promptFile,
    ARCHITECT_TASK: String(env.inputs.task),
    ARCHITECT_MODE: env.inputs.mode,
  });
  if (plan.install) await execOk(plan.install, { cwd: env.worktree, env: childEnv });
  const stdin = plan.promptOnStdin ? await readFile(promptFile, "utf8") : undefined;
  // The tool's output is model-driven: stop the runner from reading workflow commands in it.
  const resume = randomUUID();
  process.stdout.write(`::stop-commands::${resume}\n`);
  const result = await exec(plan.argv, { cwd: env.worktree, env: childEnv, ...(stdin === undefined ? {} : { stdin }) }).finally(() => {
    process.stdout.write(`::${resume}::\n`);
  });
  if (result.code !== 0) throw new Error(`agent tool '${plan.tool}' exited with code ${result.code}`);
}

/** The `scripted` tool: a deterministic change per run, for smoke-testing the workflow without a model. */
async function runScripted(env: RunnerEnv): Promise<void> {
  const file = join(env.worktree, ".architect", "runs", `task-${env.inputs.task}.md`);
  await mkdir(dirname(file), { recursive: true });
  const line = `- run ${env.inputs.runKey} (attempt ${env.inputs.attempt})\n`;
  const previous = await readFile(file, "utf8").catch(() => `# Architect smoke-test runs for task #${env.inputs.task}\n\n`);
  await writeFile(file, previous + line);
}
