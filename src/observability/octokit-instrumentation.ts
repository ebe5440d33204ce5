import { classifyRequest } from "../github/request-kind.js";
import type { HookableOctokit } from "../github/http-policy.js";
import { ATTR, inSpan } from "./tracing.js";

type WrapRequest = (name: "request", fn: (request: (options: RequestOptions) => Promise<{ status: number }>, options: RequestOptions) => Promise<{ status: number }>) => void;
interface RequestOptions {
  method: string;
  url: string;
  query?: unknown;
  [key: string]: unknown;
}

/**
 * One `github.request` span per GitHub request (retries and rate-limit waits of the request
 * policy included, so it is installed after the policy and wraps it), child of whatever
 * span made the request, and its wall-clock duration for the metrics. Kept apart from the
 * request policy on purpose: the policy decides, this only watches.
 */
export function instrumentOctokit(octokit: HookableOctokit, onDone?: (info: { kind: "read" | "write"; label: string; status: number; durationMs: number }) => void): void {
  const wrap = octokit.hook.wrap.bind(octokit.hook) as unknown as WrapRequest;
  wrap("request", (request, options) => {
    const kind = classifyRequest(options.method, options.url, options.query);
    const started = performance.now();
    return inSpan(`github.request ${kind.label}`, { attributes: { [ATTR.httpMethod]: options.method, [ATTR.httpRoute]: kind.label } }, async (span) => {
      let status = 0;
      try {
        const response = await request(options);
        status = response.status;
        return response;
      } catch (error) {
        status = (error as { status?: number }).status ?? 0;
        throw error;
      } finally {
        span.setAttribute(ATTR.httpStatus, status);
        onDone?.({ kind: kind.kind, label: kind.label, status, durationMs: performance.now() - started });
      }
    });
  });
}
