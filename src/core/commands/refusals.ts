import { decodeMarker } from "../markers/markers.js";

/**
 * Refusals are rationed (issue 10 §4): a person without write access gets at most one
 * "only people with write access…" answer per issue per day; later attempts get no answer.
 * The rule reads Architect's own earlier refusals on the issue (their reply marker names the
 * person), which GitHub keeps: it is level-triggered, survives restarts and replicas, and
 * needs no state of Architect's own. The repository-wide hourly cap lives in the App
 * (src/app/refusal-limiter.ts).
 */

/** The reply topic of a refusal. */
export const REFUSAL_TOPIC = "denied";

/** How long one refusal on an issue answers for the same person. */
export const REFUSAL_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What this needs of a comment (CommentFacts fits). */
export interface SeenComment {
  author: string;
  body: string;
  createdAt: number;
}

/**
 * Whether Architect already refused `person` on this issue within the last day, judging by
 * the comments read (the thread's first 10 and last 100: a refusal pushed out of them by a
 * hundred newer comments allows one more answer, which keeps the rule bounded).
 */
export function refusedRecently(comments: readonly SeenComment[], botLogin: string, person: string, now: number): boolean {
  const who = person.toLowerCase();
  return comments.some((c) => {
    if (c.author !== botLogin || now - c.createdAt >= REFUSAL_WINDOW_MS) return false;
    const marker = decodeMarker("reply", c.body);
    if (marker === null || marker.topic !== REFUSAL_TOPIC) return false;
    // Refusals written before the marker named the person start with their mention.
    return marker.user !== undefined ? marker.user.toLowerCase() === who : c.body.toLowerCase().startsWith(`@${who} `);
  });
}
