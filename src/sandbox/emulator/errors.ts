/**
 * A failure shaped like GitHub's REST error answers, thrown by the state model so the HTTP
 * layer (and GraphQL resolvers) can answer with the same status and message GitHub would.
 */
export class GitHubApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = "GitHubApiError";
    this.status = status;
    this.body = { message, documentation_url: "https://docs.github.com/rest", status: String(status), ...extra };
    this.headers = headers;
  }
}

/** 404 the way GitHub says it (it never says which part was missing). */
export function notFound(): GitHubApiError {
  return new GitHubApiError(404, "Not Found");
}

/** 422 "Validation Failed" with one field error, as GitHub reports bad input. */
export function validationFailed(message: string, resource = "Issue", field = "", code = "custom"): GitHubApiError {
  return new GitHubApiError(422, message === "Validation Failed" ? message : `Validation Failed`, {
    errors: [{ resource, field, code, message }],
  });
}

/** 422 with GitHub's plain message (no errors array), e.g. "Reference already exists". */
export function unprocessable(message: string): GitHubApiError {
  return new GitHubApiError(422, message);
}
