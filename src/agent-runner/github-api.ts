import type { ApiCheckRun, ApiReview, ApiReviewComment } from "./feedback.js";

/**
 * The few REST calls the agent workflow makes, over `fetch` (no Octokit on the runner).
 * The token is the job's own: the read-only GITHUB_TOKEN in the agent job, the App
 * installation token in the publish job. Errors carry the method and route, never the token.
 */

/** Where and as whom to call. `fetch` is injectable for tests. */
export interface GitHubApiOptions {
  apiUrl: string;
  token: string;
  /** `owner/name`. */
  repository: string;
  fetch?: typeof fetch;
}

/** A non-2xx answer. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly route: string,
    detail: string,
  ) {
    super(`GitHub API ${route} answered ${status}: ${detail}`);
    this.name = "GitHubApiError";
  }
}

/** An issue as the runner needs it. */
export interface ApiIssue {
  number: number;
  title: string;
  body: string | null;
  state: string;
  pull_request?: unknown;
}

/** A pull request as the runner needs it. */
export interface ApiPull {
  number: number;
  html_url: string;
  head: { sha: string; ref: string };
  base: { ref: string };
  body?: string | null;
}

/** Typed wrappers over the routes the runner uses. */
export class GitHubApi {
  private readonly fetchImpl: typeof fetch;
  private readonly base: string;
  private readonly owner: string;

  constructor(private readonly options: GitHubApiOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.base = `${options.apiUrl.replace(/\/+$/, "")}/repos/${options.repository}`;
    this.owner = options.repository.split("/")[0] ?? "";
  }

  getIssue(task: number): Promise<ApiIssue> {
    return this.json("GET", `/issues/${task}`);
  }

  /** A file's text at `ref`, or null when it does not exist there. */
  async readFile(path: string, ref: string): Promise<string | null> {
    const route = `/contents/${path.split("/").map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(ref)}`;
    const response = await this.send("GET", route, undefined, "application/vnd.github.raw+json");
    if (response.status === 404) return null;
    await this.check(response, "GET", route);
    return response.text();
  }

  /** The open PR whose head is `branch` in this repository, if any. */
  async findOpenPull(branch: string): Promise<ApiPull | null> {
    const pulls = await this.json<ApiPull[]>("GET", `/pulls?state=open&head=${encodeURIComponent(`${this.owner}:${branch}`)}&per_page=10`);
    return pulls[0] ?? null;
  }

  listReviews(pull: number): Promise<ApiReview[]> {
    return this.json("GET", `/pulls/${pull}/reviews?per_page=100`);
  }

  listReviewComments(pull: number, review: number): Promise<ApiReviewComment[]> {
    return this.json("GET", `/pulls/${pull}/reviews/${review}/comments?per_page=100`);
  }

  async listCheckRuns(sha: string): Promise<ApiCheckRun[]> {
    const page = await this.json<{ check_runs: ApiCheckRun[] }>("GET", `/commits/${sha}/check-runs?per_page=100`);
    return page.check_runs;
  }

  createPull(body: { title: string; head: string; base: string; body: string }): Promise<ApiPull> {
    return this.json("POST", "/pulls", { ...body, draft: false });
  }

  updatePull(pull: number, body: { body: string }): Promise<ApiPull> {
    return this.json("PATCH", `/pulls/${pull}`, body);
  }

  private async json<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await this.send(method, route, body);
    await this.check(response, method, route);
    return (await response.json()) as T;
  }

  private send(method: string, route: string, body?: unknown, accept = "application/vnd.github+json"): Promise<Response> {
    return this.fetchImpl(`${this.base}${route}`, {
      method,
      headers: {
        accept,
        authorization: `Bearer ${this.options.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "architect-agent-runner",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async check(response: Response, method: string, route: string): Promise<void> {
    if (response.ok) return;
    let detail = response.statusText;
    try {
      const data = (await response.json()) as { message?: string; errors?: { message?: string }[] };
      detail = [data.message, ...(data.errors ?? []).map((e) => e.message)].filter(Boolean).join("; ") || detail;
    } catch {
      // best effort: the status code alone is still a useful error
    }
    throw new GitHubApiError(response.status, `${method} ${route.split("?")[0]}`, detail);
  }
}
