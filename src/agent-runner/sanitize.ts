/**
 * Untrusted text (issue bodies, review comments, check summaries) is data for the agent,
 * never instructions to it. Before it enters a prompt, remove what a human reviewer of
 * the issue could not see: HTML comments (hidden instructions, Architect's own markers),
 * zero-width and bidirectional-control characters (invisible or reordered text), and
 * other control characters. Then cap its length so one comment cannot crowd out the task.
 */

// Zero-width, word-joiner, BOM, soft hyphen, bidi embeddings/overrides/isolates, tag characters.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;
// C0/C1 controls except tab and newline (carriage returns are normalised first).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Default cap for one piece of untrusted text, in characters. */
export const DEFAULT_MAX_CHARS = 8_000;

/** Make untrusted text safe to show an agent: hidden parts removed, length capped. */
export function sanitizeUntrusted(text: string | null | undefined, maxChars = DEFAULT_MAX_CHARS): string {
  if (!text) return "";
  let clean = text
    .replace(/\r\n?/g, "\n")
    .replace(HTML_COMMENT, "")
    .replace(INVISIBLE, "")
    .replace(CONTROL, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (clean.length > maxChars) clean = `${clean.slice(0, maxChars)}\n[… truncated by Architect]`;
  return clean;
}

/**
 * Wrap text in a fence longer than any backtick run inside it, so the text cannot close
 * the fence and continue as if it were part of the surrounding instructions.
 */
export function fence(text: string, info = "text"): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const bar = "`".repeat(longest + 1);
  return `${bar}${info}\n${text}\n${bar}`;
}
