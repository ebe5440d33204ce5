import { GitHubApiError, notFound, unprocessable } from "./errors.js";
import { LIMITS } from "./limits.js";
import type { Repo, User, Workflow, WorkflowRun } from "./model.js";
import type { World } from "./state.js";
import { parseWorkflowFile, renderRunName } from "./workflow-file.js";

/** GitHub Actions: workflows, `workflow_dispatch` and workflow runs. Mixed into `World`. */
export class ActionsModel {
  /** Register workflows for every `.github/workflows/*.yml` on the default branch (ids stay stable). */
  syncWorkflows(this: World, repo: Repo): void {
    const sha = repo.branches.get(repo.defaultBranch);
    const files = sha ? repo.commits.get(sha)!.files : new Map<string, string>();
    for (const [path, text] of files) {
      if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) || repo.workflows.has(path)) continue;
      const parsed = parseWorkflowFile(text);
      const workflow: Workflow = { ...this.newIds("Workflow"), path, name: parsed?.name ?? path, state: "active", createdAt: this.clock.now() };
      repo.workflows.set(path, workflow);
      this.register({ type: "Workflow", ref: workflow });
    }
  }

  /** A workflow by numeric id or file name (`architect-agent.yml`). */
  findWorkflow(this: World, repo: Repo, idOrFile: string | number): Workflow | null {
    for (const workflow of repo.workflows.values()) {
      if (String(workflow.id) === String(idOrFile) || workflow.path.endsWith(`/${idOrFile}`)) return workflow;
    }
    return null;
  }

  /**
   * `workflow_dispatch`: 404 when the workflow file is not on the default branch or `ref`,
   * 422 when it has no `workflow_dispatch` trigger, gets more than 25 inputs, unknown
   * inputs or misses required ones. Creates a queued run whose `display_title` is the
   * rendered `run-name`, and emits `workflow_run.requested` — unless `dropRun` (a fault
   * standing in for a lost dispatch), in which case it returns null and nothing happens.
   */
  dispatchWorkflow(
    this: World,
    repo: Repo,
    idOrFile: string | number,
    ref: string,
    inputs: Record<string, unknown>,
    sender: User,
    options: { dropRun?: boolean } = {},
  ): WorkflowRun | null {
    const workflow = this.findWorkflow(repo, idOrFile);
    if (!workflow) throw notFound();
    const branch = ref.replace(/^refs\/heads\//, "");
    const headSha = repo.branches.get(branch);
    if (!headSha) throw unprocessable(`No ref found for: ${ref}`);
    const text = repo.commits.get(headSha)!.files.get(workflow.path);
    if (text === undefined) throw notFound();
    const parsed = parseWorkflowFile(text);
    if (!parsed?.hasDispatch) throw unprocessable("Workflow does not have 'workflow_dispatch' trigger");
    const given = Object.entries(inputs ?? {});
    if (given.length > LIMITS.dispatchInputs) throw unprocessable(`you may only define up to ${LIMITS.dispatchInputs} \`inputs\` for a \`workflow_dispatch\` event`);
    const known = new Set(parsed.inputs.map((i) => i.name));
    const unexpected = given.map(([name]) => name).filter((name) => !known.has(name));
    if (unexpected.length > 0) throw unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    const values: Record<string, string> = {};
    for (const spec of parsed.inputs) {
      const value = inputs[spec.name];
      if (value === undefined || value === null || value === "") {
        if (spec.required && spec.default === null) throw unprocessable(`Required input '${spec.name}' not provided`);
        if (spec.default !== null) values[spec.name] = spec.default;
      } else values[spec.name] = String(value);
    }
    if (options.dropRun) return null;
    const now = this.clock.now();
    const name = parsed.name ?? workflow.path;
    const run: WorkflowRun = {
      ...this.newIds("WorkflowRun"),
      workflow,
      name,
      displayTitle: parsed.runName ? renderRunName(parsed.runName, values) : name,
      runNumber: repo.nextRunNumber++,
      runAttempt: 1,
      event: "workflow_dispatch",
      status: "queued",
      conclusion: null,
      headBranch: branch,
      headSha,
      actor: sender,
      inputs: values,
      createdAt: now,
      updatedAt: now,
      runStartedAt: now,
    };
    repo.runs.set(run.id, run);
    this.register({ type: "WorkflowRun", ref: run });
    this.emit("workflow_run", "requested", repo, sender, { run });
    return run;
  }

  getRun(this: World, repo: Repo, id: number): WorkflowRun {
    const run = repo.runs.get(id);
    if (!run) throw notFound();
    return run;
  }

  /** Mark a queued run in progress; emits `workflow_run.in_progress`. */
  startRun(this: World, repo: Repo, run: WorkflowRun): void {
    if (run.status !== "queued" && run.status !== "requested") return;
    run.status = "in_progress";
    run.updatedAt = run.runStartedAt = this.clock.now();
    this.emit("workflow_run", "in_progress", repo, run.actor, { run });
  }

  /** Complete a run; emits `workflow_run.completed`. No-op when already completed. */
  completeRun(this: World, repo: Repo, run: WorkflowRun, conclusion: NonNullable<WorkflowRun["conclusion"]>): void {
    if (run.status === "completed") return;
    run.status = "completed";
    run.conclusion = conclusion;
    run.updatedAt = this.clock.now();
    this.emit("workflow_run", "completed", repo, run.actor, { run });
  }

  /** `POST /actions/runs/{id}/cancel`: 409 when the run already completed. */
  cancelRun(this: World, repo: Repo, run: WorkflowRun): void {
    if (run.status === "completed") throw new GitHubApiError(409, "Cannot cancel a workflow run that is completed.");
    this.completeRun(repo, run, "cancelled");
  }
}
