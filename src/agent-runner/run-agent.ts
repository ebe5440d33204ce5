import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { exec, execOk, toolEnvironment } from "./exec.js";
import { ARTIFACT_EXCLUDES, findForbiddenPaths } from "./patch-guard.js";
import type { RunnerEnv } from "./runner-env.js";
import { readPlan, statePath, writeState } from "./state-files.js";
import { toolLaunch, TOOLS, type ToolPlan } from "./tools.js";
import { parseClaudeResult, parseCodexEvents, type RunUsage } from "./usage.js";

/**
 * The run changed nothing. The reason says what the runner knows (the tool's exit code,
 * what it was allowed to do); the publish job posts it on the task, and the next attempt's
 * prompt includes it, so a retry is not blind.
 */
export class NoChangesError extends Error {
  constructor(readonly reason: string = "") {
    super(reason ? `agent produced no changes: ${reason}` : "agent produced no changes");
    this.name = "NoChangesError";
  }
}

/** What the agent step leaves for the publish job besides the patch. */
export type RunOutcome = { kind: "changes"; tool: string; paths: string[] } | { kind: "no-changes"; tool: string; reason: string };

/**
 * Step "install" of the agent job: install the planned tool at its pinned version. Runs in
 * a step without model keys; every variable that looks like a credential is dropped too,
 * so an install script sees none.
 */
export async function installTool(env: RunnerEnv, processEnv: NodeJS.ProcessEnv): Promise<{ tool: string; installed: boolean }> {
  const plan = await readPlan(env.stateDir);
  if (plan.kind !== "spawn" || !plan.install) return { tool: plan.tool, installed: false };
  await execOk(plan.install, { cwd: env.stateDir, env: installEnvironment(processEnv) });
  return { tool: plan.tool, installed: true };
}

/** The install step's environment: the job's, without anything that could be a secret. */
export function installEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const secretLike = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)/i;
  const modelKeys = new Set(Object.values(TOOLS).flatMap((spec) => spec.keys));
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(toolEnvironment(env, {}))) {
    if (modelKeys.has(name) || secretLike.test(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Step "agent" of the agent job (no GitHub token at all, only the model key): run the
 * planned tool in the checkout, then turn whatever it changed into a binary patch for the
 * publish job. Fails on forbidden paths; on no changes throws NoChangesError with the reason
 * (and records the outcome for the publish job), so a bad run never reaches publish.
 */
export async function runAgent(env: RunnerEnv, processEnv: NodeJS.ProcessEnv): Promise<{ patchPath: string; paths: string[] }> {
  const plan = await readPlan(env.stateDir);
  const git = (args: string[]) => execOk(["git", ...args], { cwd: env.worktree, env: processEnv, capture: true });
  const startSha = (await git(["rev-parse", "HEAD"])).trim();

  let exitCode = 0;
  if (plan.kind === "scripted") await runScripted(env);
  else exitCode = await runTool(plan, env, processEnv);

  if (exitCode !== 0) throw new Error(`agent tool '${plan.tool}' exited with code ${exitCode}`);
  await git(["add", "--all", "--", ".", ...ARTIFACT_EXCLUDES]);
  const paths = (await git(["diff", "--cached", "--name-only", startSha])).split("\n").filter(Boolean);
  if (paths.length === 0) {
    const reason = noChangeReason(plan);
    await writeOutcome(env.stateDir, { kind: "no-changes", tool: plan.tool, reason });
    throw new NoChangesError(reason);
  }
  const forbidden = findForbiddenPaths(paths);
  if (forbidden.length > 0) throw new Error(`agent changed forbidden paths:\n${forbidden.map((f) => `- ${f.path}: ${f.reason}`).join("\n")}`);
  // git writes the file itself: the patch may hold text in any encoding, kept byte for byte.
  const patchPath = await writeState(env.stateDir, "patch", "");
  await git(["diff", "--cached", "--binary", "--no-color", "--no-ext-diff", `--output=${patchPath}`, startSha]);
  await writeOutcome(env.stateDir, { kind: "changes", tool: plan.tool, paths });
  return { patchPath, paths };
}

async function writeOutcome(stateDir: string, outcome: RunOutcome): Promise<void> {
  await writeState(stateDir, "outcome", JSON.stringify(outcome, null, 2));
}

/** Why a run changed nothing, in words a maintainer can act on (no tool output: it is model-driven). */
export function noChangeReason(plan: ToolPlan): string {
  if (plan.kind === "scripted") return "the scripted tool wrote nothing";
  const allowed =
    plan.tool === "claude-code"
      ? plan.testCommand
        ? ` It could edit files and run \`${plan.testCommand.join(" ")}\`.`
        : " It could edit files but run no commands (no test_command is configured)."
      : "";
  return `\`${plan.tool}\` finished without changing any file.${allowed} Its last message is in the job log.`;
}

/**
 * Start the tool and wait for it; resolves with its exit code. Throws before starting it when
 * it cannot work here (no key, Codex's sandbox unavailable), with a message that says so.
 */
export async function runTool(plan: Extract<ToolPlan, { kind: "spawn" }>, env: RunnerEnv, processEnv: NodeJS.ProcessEnv): Promise<number> {
  const launch = toolLaunch(plan, processEnv, { codexHome: join(env.stateDir, "codex-home") });
  if (plan.tool === "codex") {
    await mkdir(join(env.stateDir, "codex-home"), { recursive: true });
    await checkCodexSandbox(env.worktree);
  }
  const promptFile = statePath(env.stateDir, "prompt");
  const childEnv = toolEnvironment(processEnv, {
    ...launch.env,
    ARCHITECT_PROMPT_FILE: promptFile,
    ARCHITECT_TASK: String(env.inputs.task),
    ARCHITECT_MODE: env.inputs.mode,
  });
  const stdin = plan.promptOnStdin ? await readFile(promptFile, "utf8") : undefined;
  // The tool's output is model-driven: stop the runner from reading workflow commands in it.
  const resume = randomUUID();
  process.stdout.write(`::stop-commands::${resume}\n`);
  const capture = Boolean(plan.usage);
  const started = Date.now();
  const result = await exec(launch.argv, { cwd: env.worktree, env: childEnv, capture, ...(stdin === undefined ? {} : { stdin }) })
    .then((r) => {
      // Captured to read the usage report; shown in the job log all the same.
      if (capture) process.stdout.write(r.stdout.endsWith("\n") || r.stdout === "" ? r.stdout : `${r.stdout}\n`);
      return r;
    })
    .finally(() => {
      process.stdout.write(`::${resume}::\n`);
    });
  // Written whatever the exit code: a run stopped by its budget cap still cost money.
  const usage = readUsage(plan, result.stdout, (Date.now() - started) / 1000);
  if (usage) await writeState(env.stateDir, "usage", JSON.stringify(usage));
  return result.code;
}

/** The tool's usage report from its stdout, with the run's wall time; null when it gave none. */
export function readUsage(plan: Extract<ToolPlan, { kind: "spawn" }>, stdout: string, seconds: number): RunUsage | null {
  const parsed = plan.usage === "claude-json" ? parseClaudeResult(stdout) : plan.usage === "codex-jsonl" ? parseCodexEvents(stdout, plan.model ?? "") : null;
  if (!parsed) return null;
  return { tool: plan.tool, ...parsed, model: parsed.model || (plan.model ?? ""), seconds: Math.round(seconds * 10) / 10 };
}

/**
 * Codex's `workspace-write` sandbox is bubblewrap, which needs unprivileged user namespaces.
 * Without them every command and patch fails while Codex still exits 0 (agent-clis.md), so a
 * run would change nothing and be retried to the same end. Probe first and say why instead.
 * The probe is `unshare` from util-linux; where it is missing the check is skipped.
 */
export async function checkCodexSandbox(
  cwd: string,
  probe: readonly string[] = ["unshare", "--user", "--map-root-user", "true"],
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  if (platform !== "linux") return; // macOS and Windows use other sandboxes
  let code: number;
  try {
    code = (await exec(probe, { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, capture: true })).code;
  } catch {
    return; // no unshare: let Codex report for itself
  }
  if (code !== 0) {
    throw new Error(
      "Codex's sandbox cannot start on this runner: unprivileged user namespaces are restricted " +
        "(on Ubuntu 24.04, kernel.apparmor_restrict_unprivileged_userns=1). The reference workflow's " +
        "'Allow Codex's sandbox' step runs `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`; see docs/agents.md.",
    );
  }
}

/** The `scripted` tool: a deterministic change per run, for smoke-testing the workflow without a model. */
async function runScripted(env: RunnerEnv): Promise<void> {
  const file = join(env.worktree, ".architect", "runs", `task-${env.inputs.task}.md`);
  await mkdir(dirname(file), { recursive: true });
  const line = `- run ${env.inputs.runKey} (attempt ${env.inputs.attempt})\n`;
  const previous = await readFile(file, "utf8").catch(() => `# Architect smoke-test runs for task #${env.inputs.task}\n\n`);
  await writeFile(file, previous + line);
}
