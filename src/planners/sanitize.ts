import type { CommentFacts, Permission } from "../github/gateway.js";
import type { PlanComment } from "./planner.js";

/**
 * Untrusted text (issue bodies, comments, README) is cleaned before it can reach a model:
 * whatever a human reader of the issue cannot see must not steer the planner (BI-3).
 * Pure functions, no I/O.
 */

/** Default cap per piece of untrusted text; a plan never needs more and it bounds token spend. */
export const DEFAULT_MAX_CHARS = 20_000;

/** Zero-width, bidi, soft hyphen, variation selectors, Unicode tags (ASCII smuggling), BOM, controls except \t and \n. */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDDEF]/g;

/** Elements whose content a reader does not see (or sees only on demand) are dropped whole. */
const HIDDEN_ELEMENTS = ["details", "script", "style", "template", "noscript", "iframe", "object", "svg", "math", "textarea", "select"];

/** Void elements that carry hidden text in attributes (alt, title). */
const HIDDEN_VOID = /<(?:img|image|source|input|meta|link|area|embed|track)\b[^>]*>/gi;

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Clean untrusted text: NFKC, decode entities, remove HTML comments (markers included),
 * hidden elements, images (their alt text), link titles, invisible characters; cap the length.
 * Idempotent, and repeated until stable so nested tricks like `<!<!---->-- x -->` fail.
 */
export function sanitizeUntrusted(text: string, options: { maxChars?: number } = {}): string {
  let current = text.replace(/\r\n?/g, "\n");
  for (let round = 0; round < 8; round++) {
    const next = sanitizeOnce(current);
    if (next === current) break;
    current = next;
  }
  current = current.replace(/\n{3,}/g, "\n\n").trim();
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  return current.length > max ? `${current.slice(0, max)}\n[truncated]` : current;
}

function sanitizeOnce(text: string): string {
  let out = text.normalize("NFKC");
  out = decodeEntities(out);
  out = out.replace(INVISIBLE, "").replace(/[\u2028\u2029]/g, "\n");
  // HTML comments, then an unclosed one swallows the rest (fail closed: it is hidden on GitHub too).
  out = removeComments(out);
  for (const tag of HIDDEN_ELEMENTS) out = removeElement(out, tag);
  out = removeAttributeHidden(out);
  out = out.replace(HIDDEN_VOID, "");
  // Markdown images: the alt text and URL are invisible or an exfiltration channel.
  out = out.replace(/!\[[^\]]*\]\([^)]*\)/g, "");
  // Link titles only show on hover.
  out = out.replace(/\[([^\]]*)\]\(\s*(\S+?)\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*\)/g, "[$1]($2)");
  out = out.replace(/\s+title\s*=\s*(?:"[^"]*"|'[^']*')/gi, "");
  return out;
}

/** Closed comments until none is left (removing one can form another), then an unclosed one swallows the rest. */
function removeComments(text: string): string {
  let out = text;
  for (let guard = 0; guard < 50; guard++) {
    const next = out.replace(/<!--[\s\S]*?-->/g, "");
    if (next === out) break;
    out = next;
  }
  return out.replace(/<!--[\s\S]*$/, "");
}

/** Remove `<tag …>…</tag>` innermost first, so nesting cannot leak inner text; an unclosed one swallows the rest. */
function removeElement(text: string, tag: string): string {
  const innermost = new RegExp(`<${tag}\\b[^>]*>(?:(?!<${tag}\\b)[\\s\\S])*?</${tag}\\s*>`, "gi");
  let out = text;
  for (let guard = 0; guard < 50; guard++) {
    const next = out.replace(innermost, "");
    if (next === out) break;
    out = next;
  }
  out = out.replace(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*$`, "i"), "");
  return out.replace(new RegExp(`</${tag}\\s*>`, "gi"), "");
}

/** Elements marked `hidden`, `aria-hidden` or `display:none` are dropped with their content. */
function removeAttributeHidden(text: string): string {
  const hiddenOpen = /<([a-z][a-z0-9]*)\b[^>]*(?:\bhidden\b|display\s*:\s*none|visibility\s*:\s*hidden)[^>]*>/i;
  let out = text;
  for (let guard = 0; guard < 50; guard++) {
    const match = hiddenOpen.exec(out);
    if (!match) break;
    const tag = (match[1] ?? "").toLowerCase();
    const start = match.index;
    const close = new RegExp(`</${tag}\\s*>`, "i").exec(out.slice(start + match[0].length));
    const end = close ? start + match[0].length + close.index + close[0].length : out.length;
    out = out.slice(0, start) + out.slice(end);
  }
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});?/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const TRUSTED: ReadonlySet<Permission> = new Set(["write", "maintain", "admin"]);

/**
 * The comments a model may read: written by a human with write access, and neither created
 * nor edited after the trigger (an edit after `/architect plan` could smuggle instructions
 * past the person who asked). Unknown permission counts as none (fail closed).
 * A comment at exactly the trigger time is kept: it is usually the trigger itself.
 */
export function selectTrustedComments(
  comments: readonly CommentFacts[],
  permissions: ReadonlyMap<string, Permission>,
  triggerTime: number,
  botLogin: string,
): PlanComment[] {
  const bot = botLogin.toLowerCase();
  return comments
    .filter((c) => !c.authorIsBot && c.author.toLowerCase() !== bot)
    .filter((c) => c.createdAt <= triggerTime && c.updatedAt <= triggerTime)
    .filter((c) => TRUSTED.has(permissions.get(c.author) ?? "none"))
    .map((c) => ({ author: c.author, body: c.body }));
}
