import { sanitizeUntrusted as sanitize } from "../core/text/untrusted-text.js";

/**
 * The agent runner's view of the one untrusted-text module (src/core/text/untrusted-text.ts):
 * issue bodies, review comments and check summaries are data for the agent, never
 * instructions to it, and are cleaned by the same rules as the planner's input. Only the
 * default cap differs: one comment must not crowd out the task in the agent's prompt.
 */
export { fence } from "../core/text/untrusted-text.js";

/** Default cap for one piece of untrusted text in an agent prompt, in characters. */
export const DEFAULT_MAX_CHARS = 8_000;

/** Make untrusted text safe to show an agent: hidden parts removed, length capped. */
export function sanitizeUntrusted(text: string | null | undefined, maxChars = DEFAULT_MAX_CHARS): string {
  return sanitize(text, { maxChars });
}
