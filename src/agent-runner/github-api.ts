import { graphql as baseGraphql } from "@octokit/graphql";
import { Octokit } from "@octokit/rest";
import type { ApiCheckRun, ApiReview, ApiReviewComment, ApiReviewThread } from "./feedback.js";

/**
 * The calls the agent workflow makes, through `@octokit/rest` and `@octokit/graphql` (review
 * threads and their `isResolved` exist only in GraphQL). The token is the job's own: the
 * read-only GITHUB_TOKEN in the agent job, the App installation token in the publish job.
 * Errors carry the method and route, never the token. Every list is paged or bounded.
 */

/** Where and as whom to call. `fetch` is injectable for tests. */
export interface GitHubApiOptions {
  apiUrl: string;
  token: string;
  /** `owner/name`. */
  repository: string;
  /** GraphQL endpoint; default: derived from `apiUrl` (`…/api/v3` → `…/api/graphql`, else `<apiUrl>/graphql`). */
  graphqlUrl?: string;
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
  body?: string | null;
  state: string;
  pull_request?: unknown;
  /** The author: a task issue Architect created is the App bot's. */
  user?: { login: string; type?: string } | null;
}

/** A pull request as the runner needs it. */
export interface ApiPull {
  number: number;
  html_url: string;
  head: { sha: string; ref: string };
  base: { ref: string };
  body?: string | null;
}

/** An issue comment as the runner needs it. */
export interface ApiIssueComment {
  id: number;
  body?: string | null;
  user: { login: string; type?: string } | null;
}

/** Lists longer than this many pages are cut (a task's review or checks never come close). */
const MAX_PAGES = 10;

/** Typed wrappers over the routes the runner uses. */
export class GitHubApi {
  private readonly octokit: Octokit;
  private readonly gql: typeof baseGraphql;
  private readonly owner: string;
  private readonly repo: string;

  constructor(options: GitHubApiOptions) {
    [this.owner = "", this.repo = ""] = options.repository.split("/");
    const apiUrl = options.apiUrl.replace(/\/+$/, "");
    const request = options.fetch ? { fetch: options.fetch } : {};
    this.octokit = new Octokit({ auth: options.token, baseUrl: apiUrl, userAgent: "architect-agent-runner", request, log: quietLog });
    this.gql = baseGraphql.defaults({
      url: options.graphqlUrl ?? (apiUrl.endsWith("/api/v3") ? `${apiUrl.slice(0, -3)}graphql` : `${apiUrl}/graphql`),
      headers: { authorization: `bearer ${options.token}`, "user-agent": "architect-agent-runner" },
      request,
    });
  }

  getIssue(task: number): Promise<ApiIssue> {
    return this.call("GET /issues/{n}", async () => (await this.octokit.rest.issues.get({ ...this.where, issue_number: task })).data);
  }

  /** A file's text at `ref`, or null when it does not exist there (raw media type: no base64, no size field games). */
  async readFile(path: string, ref: string): Promise<string | null> {
    try {
      const { data } = await this.call("GET /contents/{path}", () =>
        this.octokit.rest.repos.getContent({ ...this.where, path, ref, headers: { accept: "application/vnd.github.raw+json" } }),
      );
      if (typeof data === "string") return data;
      if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
      throw new GitHubApiError(200, "GET /contents/{path}", "answered JSON, not the raw file (is it a directory?)");
    } catch (error) {
      if (error instanceof GitHubApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** The open PR whose head is `branch` in this repository, if any. */
  async findOpenPull(branch: string): Promise<ApiPull | null> {
    const pulls = await this.call("GET /pulls", async () => (await this.octokit.rest.pulls.list({ ...this.where, state: "open", head: `${this.owner}:${branch}`, per_page: 10 })).data);
    return pulls[0] ?? null;
  }

  /** One review by id, or null when this PR has no such review. */
  async getReview(pull: number, review: number): Promise<ApiReview | null> {
    try {
      return await this.call("GET /pulls/{n}/reviews/{id}", async () => (await this.octokit.rest.pulls.getReview({ ...this.where, pull_number: pull, review_id: review })).data);
    } catch (error) {
      if (error instanceof GitHubApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** The inline comments of one review, every page. */
  listReviewComments(pull: number, review: number): Promise<ApiReviewComment[]> {
    return this.call("GET /pulls/{n}/reviews/{id}/comments", () =>
      this.pages("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments", { ...this.where, pull_number: pull, review_id: review, per_page: 100 }),
    );
  }

  /**
   * The PR's review threads: whether each is resolved and its first comment's id (REST
   * replies point at that id with `in_reply_to_id`). Paged through `reviewThreads`.
   */
  async listReviewThreads(pull: number): Promise<ApiReviewThread[]> {
    const threads: ApiReviewThread[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES * 10; page++) {
      const data: ThreadsPage = await this.call("POST /graphql reviewThreads", () =>
        this.gql<ThreadsPage>(THREADS_QUERY, { owner: this.owner, repo: this.repo, pull, after }),
      );
      const connection = data.repository?.pullRequest?.reviewThreads;
      if (!connection) throw new GitHubApiError(404, "POST /graphql reviewThreads", `pull request #${pull} not found`);
      for (const node of connection.nodes ?? []) {
        const first = node?.comments.nodes?.[0]?.databaseId;
        if (node && typeof first === "number") threads.push({ isResolved: node.isResolved, firstCommentId: first });
      }
      if (!connection.pageInfo.hasNextPage) return threads;
      after = connection.pageInfo.endCursor;
    }
    throw new GitHubApiError(200, "POST /graphql reviewThreads", "too many review threads to read");
  }

  /** The user's role on this repository (`admin`, `maintain`, `write`, `triage`, `read` or `none`). */
  async getPermission(login: string): Promise<string> {
    const { data } = await this.call("GET /collaborators/{user}/permission", () =>
      this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.where, username: login }),
    );
    return (data as { role_name?: string }).role_name ?? data.permission;
  }

  listCheckRuns(sha: string): Promise<ApiCheckRun[]> {
    return this.call("GET /commits/{sha}/check-runs", () => this.pages("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...this.where, ref: sha, per_page: 100 }));
  }

  /** The issue's comments, every page (bounded). */
  listIssueComments(issue: number): Promise<ApiIssueComment[]> {
    return this.call("GET /issues/{n}/comments", () => this.pages("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...this.where, issue_number: issue, per_page: 100 }));
  }

  createIssueComment(issue: number, body: string): Promise<ApiIssueComment> {
    return this.call("POST /issues/{n}/comments", async () => (await this.octokit.rest.issues.createComment({ ...this.where, issue_number: issue, body })).data);
  }

  updateIssueComment(id: number, body: string): Promise<ApiIssueComment> {
    return this.call("PATCH /issues/comments/{id}", async () => (await this.octokit.rest.issues.updateComment({ ...this.where, comment_id: id, body })).data);
  }

  createPull(body: { title: string; head: string; base: string; body: string }): Promise<ApiPull> {
    return this.call("POST /pulls", async () => (await this.octokit.rest.pulls.create({ ...this.where, ...body, draft: false })).data);
  }

  updatePull(pull: number, body: { body: string }): Promise<ApiPull> {
    return this.call("PATCH /pulls/{n}", async () => (await this.octokit.rest.pulls.update({ ...this.where, pull_number: pull, ...body })).data);
  }

  private get where(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo };
  }

  /** Every page of a list route, at most MAX_PAGES (the route's own `per_page` applies). */
  private async pages<T>(route: string, params: Record<string, unknown>): Promise<T[]> {
    const out: T[] = [];
    let pages = 0;
    // Octokit's paginate turns `{ total_count, check_runs }` pages into plain arrays too.
    for await (const page of this.octokit.paginate.iterator(route, params)) {
      out.push(...(page.data as T[]));
      if (++pages >= MAX_PAGES) break;
    }
    return out;
  }

  /** Run one call; turn Octokit's errors into GitHubApiError with the route (never headers or token). */
  private async call<T>(route: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GitHubApiError) throw error;
      const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 0;
      const response = (error as { response?: { data?: { message?: string; errors?: { message?: string }[] } } }).response;
      const data = response?.data;
      const graphqlErrors = (error as { errors?: { message?: string }[] }).errors;
      const detail =
        [data?.message, ...(data?.errors ?? []).map((e) => e.message), ...(graphqlErrors ?? []).map((e) => e.message)].filter(Boolean).join("; ") ||
        (error instanceof Error ? error.message : String(error));
      throw new GitHubApiError(status, route, detail);
    }
  }
}

const quietLog = { debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({ isResolved: boolean; comments: { nodes: ({ databaseId: number | null } | null)[] | null } } | null)[] | null;
      };
    } | null;
  } | null;
}

const THREADS_QUERY = `
  query($owner: String!, $repo: String!, $pull: Int!, $after: String) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $pull) {
        reviewThreads(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { isResolved comments(first: 1) { nodes { databaseId } } }
        }
      }
    }
  }
`;
