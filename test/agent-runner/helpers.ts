import { INPUT_ENV, parseRunnerInputs, type InputName, type RunnerInputs } from "../../src/agent-runner/inputs.js";

/** Valid dispatch inputs for tests; override any field. */
export function testInputs(overrides: Partial<Record<InputName, string>> = {}): RunnerInputs {
  const values: Record<InputName, string> = {
    task: "7",
    milestone: "1",
    attempt: "1",
    branch: "architect/7-api",
    base: "main",
    agent: "claude",
    mode: "initial",
    run_key: "architect 1/7/1/initial",
    review_id: "",
    correlation_id: "m1001-t7",
    ...overrides,
  };
  const result = parseRunnerInputs(Object.fromEntries(Object.entries(values).map(([k, v]) => [INPUT_ENV[k as InputName], v])));
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.inputs;
}

/** The same inputs as environment variables, as the workflow passes them. */
export function inputsEnv(overrides: Partial<Record<InputName, string>> = {}): Record<string, string> {
  const inputs = testInputs(overrides);
  return {
    [INPUT_ENV.task]: String(inputs.task),
    [INPUT_ENV.milestone]: String(inputs.milestone),
    [INPUT_ENV.attempt]: String(inputs.attempt),
    [INPUT_ENV.branch]: inputs.branch,
    [INPUT_ENV.base]: inputs.base,
    [INPUT_ENV.agent]: inputs.agent,
    [INPUT_ENV.mode]: inputs.mode,
    [INPUT_ENV.run_key]: inputs.runTitle,
    [INPUT_ENV.review_id]: inputs.reviewId === null ? "" : String(inputs.reviewId),
  };
}

/** One recorded request to the fake GitHub. */
export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
  accept: string | null;
}

/** A route's answer: status and JSON data, or a string sent as a raw text body. */
export type FakeAnswer = [number, unknown];

/**
 * A fake GitHub behind an injected `fetch`: routes by "METHOD path" (without the query),
 * records every call. JSON answers carry a JSON content type (Octokit parses by it), string
 * answers go out as raw text, like `Accept: application/vnd.github.raw+json` file contents.
 */
export function fakeGitHub(routes: Record<string, (body: unknown, url: URL) => FakeAnswer>) {
  const calls: FakeCall[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url);
    const method = init?.method ?? "GET";
    const body = init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    const headers = new Headers(init?.headers as HeadersInit | undefined);
    // Octokit encodes a `{path}` parameter's slashes (%2F), which GitHub accepts: route on the decoded path.
    const path = decodeURIComponent(url.pathname);
    calls.push({ method, path, body, accept: headers.get("accept") });
    const route = routes[`${method} ${path}`];
    const [status, data] = route ? route(body, url) : [404, { message: `no route ${method} ${path}` }];
    const raw = typeof data === "string";
    return new Response(status === 204 ? null : raw ? data : JSON.stringify(data), {
      status,
      headers: { "content-type": raw ? "text/plain; charset=utf-8" : "application/json; charset=utf-8" },
    });
  }) as typeof fetch;
  return { calls, fetch: fetchImpl };
}
