import { stripInvisible } from "../text/untrusted-text.js";

/**
 * Model-authored text is untrusted output: before Architect posts it to GitHub it must
 * not ping people, link or close issues, smuggle HTML (or a forged `architect:` marker),
 * load images (the Camo exfiltration channel), trigger bot commands (reliability BI-8) or
 * hide and reorder what a reader sees (zero-width, bidi and tag characters are stripped
 * first, by the one untrusted-text module).
 *
 * Mentions (`@user`, `@org/team`) and issue references (`#12`, `GH-12`, `owner/repo#12`,
 * links to issues and pull requests on github.com) are put in `<code>`: GitHub's renderer
 * does not link, notify or cross-reference text inside `code`, `pre` or `a` elements (see
 * docs/architecture.md, Security), so nothing Architect posts creates a backlink in
 * another issue or closes one. The raw `<code>` element, unlike a backtick span, cannot
 * pair with a stray backtick of the untrusted text.
 *
 * Code is left as written where we are sure GitHub renders it as code (an agent copies
 * `@types/node` or `<UserForm>` from there), and neutralised everywhere we are not sure:
 * - fenced blocks count only when the fence starts in column 0 (a fence inside a list or
 *   quote can end earlier than a naive scan thinks);
 * - an inline code span counts only when it opens and closes on one line, holds no `|`
 *   (table cells split on pipes first) and no unmatched backtick came earlier in the
 *   paragraph (which GitHub could pair across lines).
 */

/** Default cap, in characters of input (the sub-issue body limit is 65 536). */
export const DEFAULT_MAX_TEXT = 20_000;

const TRUNCATED = "…(truncated)";

/** Per-call limits: bodies, table cells and labels have different room. */
export interface NeutralizeOptions {
  /** Characters of input kept; longer text is cut and marked as truncated. */
  maxLength?: number;
}

/** Make untrusted markdown safe to post (see the file comment for what "safe" means). */
export function neutralizeText(text: string, options: NeutralizeOptions = {}): string {
  const max = options.maxLength ?? DEFAULT_MAX_TEXT;
  const normalized = stripInvisible(text);
  const capped = normalized.length > max ? `${cutAt(normalized, max)}\n\n${TRUNCATED}` : normalized;
  const out: string[] = [];
  let fence: { char: string; length: number } | null = null;
  let unmatchedTick = false;
  for (const line of capped.split("\n")) {
    if (fence) {
      // Inside a fence GitHub links, mentions and closes nothing (it is a `pre` element).
      if (closesFence(line, fence)) fence = null;
      out.push(line);
      continue;
    }
    const opener = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (opener && !(opener[1]?.startsWith("`") && opener[2]?.includes("`"))) {
      fence = { char: (opener[1] as string)[0] as string, length: (opener[1] as string).length };
      unmatchedTick = false;
      out.push(line);
      continue;
    }
    if (line.trim() === "") unmatchedTick = false;
    const result = neutralizeMarkdownLine(line, unmatchedTick);
    unmatchedTick = result.unmatchedTick;
    out.push(result.text);
  }
  if (fence) out.push(fence.char.repeat(fence.length));
  return out.join("\n");
}

/**
 * One line of untrusted text for a single-line place (a table cell, a Mermaid label, a
 * title): newlines become spaces, then the same neutralising, capped at `maxLength`.
 */
export function neutralizeLine(text: string, maxLength = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const capped = flat.length > maxLength ? `${cutAt(flat, maxLength - 1)}…` : flat;
  return neutralizeText(capped, { maxLength: maxLength + 1 });
}

/** A closing fence: up to 3 spaces, the same character, at least as long, nothing after. */
function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const m = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return m !== null && (m[1] as string)[0] === fence.char && (m[1] as string).length >= fence.length;
}

/** Split a line into prose and trusted code spans; neutralise the prose. */
function neutralizeMarkdownLine(line: string, unmatchedBefore: boolean): { text: string; unmatchedTick: boolean } {
  let out = "";
  let prose = "";
  let unmatched = unmatchedBefore;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === "\\" && i + 1 < line.length) {
      prose += c + line[i + 1];
      i += 2;
      continue;
    }
    if (c !== "`") {
      prose += c;
      i++;
      continue;
    }
    const run = /^`+/.exec(line.slice(i))?.[0] as string;
    const close = findClosingRun(line, i + run.length, run.length);
    const span = close < 0 ? null : line.slice(i, close + run.length);
    if (span === null) {
      unmatched = true;
      prose += run;
      i += run.length;
    } else if (unmatched || span.includes("|")) {
      prose += span;
      i += span.length;
    } else {
      out += neutralizeProse(prose) + span;
      prose = "";
      i += span.length;
    }
  }
  out += neutralizeProse(prose);
  // A bot command at the start of a line would be obeyed if someone quoted it back.
  // A backslash escape renders as the slash itself, and the command parser never reads it.
  out = out.replace(/^(\s*)\/(?=architect)/i, "$1\\/");
  return { text: out, unmatchedTick: unmatched };
}

/** Index of the next backtick run of exactly `length` at or after `from`, or -1. */
function findClosingRun(line: string, from: number, length: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(line); m; m = re.exec(line)) if (m[0].length === length) return m.index;
  return -1;
}

function neutralizeProse(text: string): string {
  let s = text;
  // Images become their alt text: nothing is fetched through Camo.
  s = s.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/!\[([^\]]*)\]\[[^\]]*\]/g, "$1");
  // Anything image-like left (e.g. an alt text split over lines) loses its `!`-link syntax.
  s = s.replace(/!\[/g, "!\\[");
  // Raw HTML and entities are shown, not rendered (this also defuses forged markers).
  s = s.replace(/&(#?[A-Za-z0-9]+;)/g, "&amp;$1").replace(/<(?=[A-Za-z/!?])/g, "&lt;");
  // A link to an issue or pull request becomes its text and the address as code.
  s = s.replace(/\[([^\]]*)\]\(\s*(https?:\/\/[^\s)]+)[^)]*\)/gi, (whole, label: string, url: string) => (ISSUE_URL.test(url) ? `${label} ${url}` : whole));
  // References, addresses of issues and mentions as code: inert on GitHub.
  s = s.replace(INERT_AS_CODE, (_m, before: string, token: string) => `${before}<code>${token}</code>`);
  return s;
}

/** A github.com address of an issue, pull request or discussion (it would create a cross-reference). */
const ISSUE_URL = /^https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull|discussions)\/\d+/i;

/**
 * What GitHub turns into a live link, notification or cross-reference, after something that
 * is not a word character (emails and `a#1` stay): github.com issue and PR addresses,
 * `owner/repo#12`, `#12`, `GH-12`, `@user` and `@org/team`.
 */
const INERT_AS_CODE =
  /(^|[^\w/.@-])((?:https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull|discussions)\/\d+[^\s<>)\]]*)|(?:[\w.-]+\/[\w.-]+#\d+)|(?:#\d+)|(?:gh-\d+)|(?:@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w-]*)?))(?![\w-])/gi;

/** Cut without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
