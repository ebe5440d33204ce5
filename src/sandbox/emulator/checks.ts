import { GitHubApiError, notFound, validationFailed } from "./errors.js";
import type { App, CheckConclusion, CheckRun, CheckStatus, PullRequest, Repo } from "./model.js";
import type { World } from "./state.js";

/** Check runs and check suites. Mixed into `World`. */
export class ChecksModel {
  /** All check runs on a commit, newest first (as `GET /commits/{ref}/check-runs?filter=all`). */
  checkRunsFor(this: World, repo: Repo, sha: string): CheckRun[] {
    return repo.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id);
  }

  /** The latest run per (app, name) on a commit: what GitHub's default `filter=latest` and protection use. */
  latestCheckRunsFor(this: World, repo: Repo, sha: string): CheckRun[] {
    const seen = new Set<string>();
    return this.checkRunsFor(repo, sha).filter((run) => {
      const key = `${run.app.id}/${run.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Create a check run (and its suite on first run per app and commit). Emits `check_run.created`. */
  createCheckRun(
    this: World,
    repo: Repo,
    app: App,
    input: {
      name: string;
      headSha: string;
      status?: CheckStatus;
      conclusion?: CheckConclusion;
      output?: { title?: string | null; summary?: string | null; text?: string | null };
      externalId?: string | null;
      detailsUrl?: string | null;
    },
  ): CheckRun {
    if (!input.name) throw validationFailed("name is missing", "CheckRun", "name", "missing_field");
    if (!repo.commits.has(input.headSha)) throw validationFailed("No commit found for SHA: " + input.headSha, "CheckRun", "head_sha", "invalid");
    const now = this.clock.now();
    let suite = repo.checkSuites.find((s) => s.app === app && s.headSha === input.headSha);
    if (!suite) {
      const headBranch = [...repo.branches].find(([, sha]) => sha === input.headSha)?.[0] ?? null;
      suite = { ...this.newIds("CheckSuite"), app, headSha: input.headSha, headBranch, status: "queued", conclusion: null, createdAt: now, updatedAt: now };
      repo.checkSuites.push(suite);
      this.register({ type: "CheckSuite", ref: suite });
    }
    const status = input.conclusion ? "completed" : (input.status ?? "queued");
    const run: CheckRun = {
      ...this.newIds("CheckRun"),
      name: input.name,
      headSha: input.headSha,
      status,
      conclusion: status === "completed" ? (input.conclusion ?? "neutral") : null,
      startedAt: now,
      completedAt: status === "completed" ? now : null,
      output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null, text: input.output?.text ?? null },
      externalId: input.externalId ?? null,
      detailsUrl: input.detailsUrl ?? null,
      app,
      suite,
    };
    repo.checkRuns.push(run);
    this.register({ type: "CheckRun", ref: run });
    suite.status = suite.status === "completed" ? "in_progress" : suite.status;
    this.emit("check_run", "created", repo, app.botUser, { checkRun: run });
    if (run.status === "completed") this.afterCheckCompleted(repo, run);
    return run;
  }

  /** Update a check run; emits `check_run.completed` when it completes. 404 for unknown ids. */
  updateCheckRun(
    this: World,
    repo: Repo,
    id: number,
    patch: {
      name?: string;
      status?: CheckStatus;
      conclusion?: CheckConclusion;
      output?: { title?: string | null; summary?: string | null; text?: string | null };
      detailsUrl?: string | null;
      externalId?: string | null;
    },
    app?: App,
  ): CheckRun {
    const run = repo.checkRuns.find((r) => r.id === id);
    if (!run) throw notFound();
    if (app && run.app !== app) throw new GitHubApiError(403, "Invalid app_id `" + app.id + "` - check run can only be modified by the GitHub App that created it.");
    const wasCompleted = run.status === "completed";
    if (patch.name !== undefined) run.name = patch.name;
    if (patch.output) run.output = { title: patch.output.title ?? run.output.title, summary: patch.output.summary ?? run.output.summary, text: patch.output.text ?? run.output.text };
    if (patch.detailsUrl !== undefined) run.detailsUrl = patch.detailsUrl;
    if (patch.externalId !== undefined) run.externalId = patch.externalId;
    if (patch.conclusion) {
      run.status = "completed";
      run.conclusion = patch.conclusion;
    } else if (patch.status) {
      if (patch.status === "completed" && !run.conclusion) throw validationFailed("Conclusion is required when status is completed", "CheckRun", "conclusion", "missing_field");
      run.status = patch.status;
      if (patch.status !== "completed") run.conclusion = null;
    }
    if (run.status === "completed" && !wasCompleted) {
      run.completedAt = this.clock.now();
      this.afterCheckCompleted(repo, run);
    } else if (run.status !== "completed") {
      run.completedAt = null;
    }
    return run;
  }

  afterCheckCompleted(this: World, repo: Repo, run: CheckRun): void {
    this.emit("check_run", "completed", repo, run.app.botUser, { checkRun: run });
    const suite = run.suite;
    const runs = repo.checkRuns.filter((r) => r.suite === suite);
    if (runs.every((r) => r.status === "completed")) {
      suite.status = "completed";
      suite.conclusion = runs.some((r) => r.conclusion === "failure" || r.conclusion === "timed_out" || r.conclusion === "cancelled")
        ? "failure"
        : "success";
      suite.updatedAt = this.clock.now();
      this.emit("check_suite", "completed", repo, run.app.botUser, { checkSuite: suite });
    }
    const queued = repo.mergeQueue.find((e) => e.group?.headSha === run.headSha);
    if (queued) this.advanceMergeQueue(repo, queued.baseRef);
  }

  /** Open PRs whose head is at `sha` (for `check_run.pull_requests`). */
  pullsForSha(this: World, repo: Repo, sha: string): PullRequest[] {
    return [...repo.pulls.values()].filter((p) => p.headSha === sha && p.issue.state === "open");
  }
}
