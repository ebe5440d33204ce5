import { appendFile } from "node:fs/promises";
import { GitHubApi } from "./github-api.js";
import { RunRefusedError, runPrepare } from "./prepare.js";
import { runPublish } from "./publish.js";
import { installTool, NoChangesError, runAgent } from "./run-agent.js";
import { readRunnerEnv, requireToken } from "./runner-env.js";

/**
 * The agent workflow's runner steps: prepare | install | agent | publish. No logic here:
 * read the environment, build the API client, call the step, report. Entry points: the
 * action (`agent-action/`, step from its `step` input, see action.ts) and `cli.ts` (argv).
 */
export async function runStep(step: string | undefined): Promise<void> {
  const env = readRunnerEnv(process.env);
  // The task's correlation id leads every step's log, so a search for it finds this run.
  if (env.inputs.correlationId) console.log(`correlation id: ${env.inputs.correlationId} (run ${env.inputs.runTitle})`);
  const api = (tokenVar: string) =>
    new GitHubApi({ apiUrl: env.apiUrl, token: requireToken(process.env, tokenVar), repository: env.repository });
  switch (step) {
    case "prepare": {
      const { plan } = await runPrepare(env, api("GITHUB_TOKEN"));
      // The workflow's next steps depend on the tool (Codex needs its sandbox allowed).
      if (process.env.GITHUB_OUTPUT) await appendFile(process.env.GITHUB_OUTPUT, `tool=${plan.tool}\n`);
      console.log(`prepared task #${env.inputs.task} (${env.inputs.mode}) for tool '${plan.tool}'`);
      return;
    }
    case "install": {
      const { tool, installed } = await installTool(env, process.env);
      console.log(installed ? `installed tool '${tool}'` : `tool '${tool}' needs no install`);
      return;
    }
    case "agent": {
      const { paths } = await runAgent(env, process.env);
      console.log(`agent changed ${paths.length} file(s):\n${paths.map((p) => `  ${p}`).join("\n")}`);
      return;
    }
    case "publish": {
      const token = requireToken(process.env, "ARCHITECT_TOKEN");
      const identity = {
        name: process.env.ARCHITECT_GIT_NAME || "architect[bot]",
        email: process.env.ARCHITECT_GIT_EMAIL || "architect[bot]@users.noreply.github.com",
      };
      const { pull, created } = await runPublish(env, api("ARCHITECT_TOKEN"), token, identity, process.env);
      const line = `${created ? "opened" : "updated"} ${pull.html_url} for task #${env.inputs.task}`;
      console.log(line);
      if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, `${line}\n`);
      return;
    }
    default:
      throw new Error("usage: step must be prepare, install, agent or publish");
  }
}

/** Report a failed step on the run page (an `::error` annotation) and fail the process. */
export function reportFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  // A workflow-command annotation, escaped as the runner expects, so the reason shows on the run page.
  const escaped = message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const title = error instanceof NoChangesError ? "No changes" : error instanceof RunRefusedError ? "Run refused" : "Architect agent runner";
  console.error(`::error title=${title}::${escaped}`);
  process.exitCode = 1;
}
