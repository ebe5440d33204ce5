/**
 * Line-by-line reading of user-written markdown, shared by the parsers of commands in
 * comments and of the task list in a milestone: both must agree on what is fenced code,
 * so a command or a task shown inside a code block is text, never acted on.
 */

// Anchored and without a flag, so exec keeps no state between lines and stays linear.
const FENCE_MARK = /^\s*(`{3,}|~{3,})/;

/** The lines of a body, whatever line endings (CRLF, CR, LF) the browser or the API sent. */
export function splitLines(body: string): string[] {
  return body.replace(/\r\n?/g, "\n").split("\n");
}

/** Follows fenced code blocks across the lines of one body, fed in order. */
export interface FenceTracker {
  /**
   * True when `line` opens a fence, sits inside one or closes it. A fence closes on a
   * mark of the same character at least as long; an unclosed fence runs to the end.
   */
  inCode(line: string): boolean;
}

/** A fresh tracker for one body: the fence state belongs to a single pass over its lines. */
export function fenceTracker(): FenceTracker {
  let fence: string | null = null;
  return {
    inCode(line: string): boolean {
      const mark = FENCE_MARK.exec(line)?.[1];
      if (fence !== null) {
        if (mark && mark[0] === fence[0] && mark.length >= fence.length) fence = null;
        return true;
      }
      if (mark) {
        fence = mark;
        return true;
      }
      return false;
    },
  };
}
