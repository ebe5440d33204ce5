import { decodeMarker, encodeMarker } from "../core/markers/markers.js";
import type { CommentFacts, GitHubGateway } from "../github/gateway.js";

/**
 * One-off answers (command replies, config errors) carry a reply marker naming what they
 * answer, so a redelivered webhook finds the answer already there and writes nothing.
 */
export function hasReply(comments: readonly CommentFacts[], botLogin: string, to: number, topic: string): boolean {
  return comments.some((c) => {
    if (c.author !== botLogin) return false;
    const marker = decodeMarker("reply", c.body);
    return marker !== null && marker.to === to && marker.topic === topic;
  });
}

/** Post `body` on `issue` unless an answer to (`to`, `topic`) already exists. Returns whether it posted. */
export async function replyOnce(
  gateway: GitHubGateway,
  issue: number,
  botLogin: string,
  to: number,
  topic: string,
  body: string,
  knownComments?: readonly CommentFacts[],
  user?: string,
): Promise<boolean> {
  const comments = knownComments ?? (await gateway.getIssueWithComments(issue))?.comments ?? [];
  if (hasReply(comments, botLogin, to, topic)) return false;
  await gateway.createComment(issue, withReplyMarker(body, to, topic, user));
  return true;
}

/** An answer's text with the marker that names what it answers (and whom, for a refusal). */
export function withReplyMarker(body: string, to: number, topic: string, user?: string): string {
  return `${body}\n\n${encodeMarker("reply", user === undefined ? { to, topic } : { to, topic, user })}`;
}
