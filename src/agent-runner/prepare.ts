import { REPO_CONFIG_PATH, resolveAgent } from "./agent-config.js";
import { pickChangesRequested, pickFailingChecks, toReviewFeedback } from "./feedback.js";
import type { GitHubApi } from "./github-api.js";
import { buildPrompt, type CheckFailure, type ReviewFeedback } from "./prompt.js";
import type { RunnerEnv } from "./runner-env.js";
import { statePath, writeState } from "./state-files.js";
import { planTool, type ToolPlan } from "./tools.js";

/**
 * Step 1 of the agent job (read-only token): read the task, the agent's config from the
 * default branch and, for rework, the review or the failing checks; write the prompt and
 * the tool plan for the next step. Nothing here runs agent code.
 */
export async function runPrepare(env: RunnerEnv, api: GitHubApi): Promise<{ prompt: string; plan: ToolPlan }> {
  const { inputs } = env;
  const issue = await api.getIssue(inputs.task);
  if (issue.pull_request) throw new Error(`#${inputs.task} is a pull request, not a task issue`);
  if (issue.state !== "open") throw new Error(`task #${inputs.task} is closed; nothing to do`);

  const agent = resolveAgent(await api.readFile(REPO_CONFIG_PATH, env.workflowSha), inputs.agent);
  const promptPath = statePath(env.stateDir, "prompt");
  const plan = planTool(agent, promptPath);

  let review: ReviewFeedback | null = null;
  let failures: CheckFailure[] = [];
  if (inputs.mode !== "initial") {
    const pull = await api.findOpenPull(inputs.branch);
    if (pull && inputs.mode === "review") {
      const latest = pickChangesRequested(await api.listReviews(pull.number));
      if (latest) review = toReviewFeedback(latest, await api.listReviewComments(pull.number, latest.id));
    }
    if (pull && inputs.mode === "retry") failures = pickFailingChecks(await api.listCheckRuns(pull.head.sha));
  }

  const testCommand = plan.kind === "spawn" ? (plan.testCommand ?? null) : null;
  const prompt = buildPrompt({ inputs, repository: env.repository, task: { title: issue.title, body: issue.body ?? "" }, review, failures, testCommand });
  await writeState(env.stateDir, "prompt", prompt);
  await writeState(env.stateDir, "plan", JSON.stringify(plan, null, 2));
  return { prompt, plan };
}
