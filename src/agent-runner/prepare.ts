import { REPO_CONFIG_PATH, resolveAgent } from "./agent-config.js";
import { pickFailingChecks, reviewRefusal, toReviewFeedback, unresolvedComments } from "./feedback.js";
import type { GitHubApi } from "./github-api.js";
import type { RunnerInputs } from "./inputs.js";
import { buildPrompt, type CheckFailure, type ReviewFeedback } from "./prompt.js";
import type { RunnerEnv } from "./runner-env.js";
import { statePath, writeState } from "./state-files.js";
import { planTool, type ToolPlan } from "./tools.js";

/** The run must not go on; the message says why, for the run page and the job log. */
export class RunRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunRefusedError";
  }
}

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
  if (inputs.mode === "review") review = await readDecidedReview(api, inputs);
  if (inputs.mode === "retry") {
    const pull = await api.findOpenPull(inputs.branch);
    if (pull) failures = pickFailingChecks(await api.listCheckRuns(pull.head.sha));
  }

  const testCommand = plan.kind === "spawn" ? (plan.testCommand ?? null) : null;
  const prompt = buildPrompt({ inputs, repository: env.repository, task: { title: issue.title, body: issue.body ?? "" }, review, failures, testCommand });
  await writeState(env.stateDir, "prompt", prompt);
  await writeState(env.stateDir, "plan", JSON.stringify(plan, null, 2));
  return { prompt, plan };
}

/**
 * The review a review run acts on: exactly the one Architect dispatched for, re-checked here
 * (a person with write access, "changes requested", on the PR's current head), with only its
 * own comments in unresolved threads. Anything else stops the run with the reason; another
 * review, whoever wrote it and however recent, is never read.
 */
async function readDecidedReview(api: GitHubApi, inputs: RunnerInputs): Promise<ReviewFeedback> {
  const reviewId = inputs.reviewId;
  if (reviewId === null) throw new RunRefusedError("a review run needs the review_id input: the review Architect decided to act on");
  const pull = await api.findOpenPull(inputs.branch);
  if (!pull) throw new RunRefusedError(`no open pull request has head ${inputs.branch}; nothing to rework`);
  const review = await api.getReview(pull.number, reviewId);
  const role = review?.user && review.user.type !== "Bot" ? await api.getPermission(review.user.login).catch(() => null) : null;
  const refusal = reviewRefusal(review, reviewId, pull, role);
  if (refusal !== null || !review) throw new RunRefusedError(`not acting on the review: ${refusal ?? "not found"}`);
  const comments = unresolvedComments(await api.listReviewComments(pull.number, reviewId), await api.listReviewThreads(pull.number));
  return toReviewFeedback(review, comments);
}
