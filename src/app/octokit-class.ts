import { ProbotOctokit } from "probot";

/**
 * Probot's Octokit with its throttling and retry plugins switched off. Architect applies
 * its own request policy (src/github/http-policy.ts) because Probot's retries re-send a
 * POST after a 5xx (a duplicate issue or dispatch waiting to happen), its secondary-limit
 * handler gives up without waiting, and both run on wall-clock timers the sandbox cannot
 * compress.
 */
export const ArchitectOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { enabled: false },
})) as typeof ProbotOctokit;
