/**
 * The one home of Architect's rules for text written by others (issue bodies, comments,
 * reviews, check summaries, model answers). Pure, no I/O; the planners, the agent runner
 * and the renderers of what Architect posts all use it.
 *
 * Two directions:
 * - into a model or agent (`sanitizeUntrusted`, `fence`): whatever a human reader of the
 *   issue cannot see must not steer the model (BI-3), so hidden HTML, comments, images,
 *   link titles and invisible characters go, and the length is capped;
 * - onto GitHub (`stripInvisible`): text Architect writes (titles, bodies, the plan preview
 *   a maintainer approves from) carries no character that hides or reorders what a reader
 *   sees. `render/neutralize.ts` builds on it for mentions and references.
 */

/** Default cap per piece of untrusted text; a plan never needs more and it bounds token spend. */
export const DEFAULT_MAX_CHARS = 20_000;

/** Appended where the cap cut text off. */
export const TRUNCATED_MARK = "[truncated]";

/**
 * Characters that hide or disguise text: zero-width characters (U+200B–U+200D, U+2060–U+2064,
 * U+FEFF), bidirectional marks, embeddings, overrides and isolates (U+200E/F, U+061C,
 * U+202A–U+202E, U+2066–U+2069), Unicode tag characters (U+E0000–U+E007F, "ASCII smuggling")
 * and variation selectors (up to U+E01EF), soft hyphen, Hangul fillers, interlinear
 * annotation marks, and C0/C1 controls except tab and newline.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDDEF]/g;

/** Elements whose content a reader does not see (or sees only on demand) are dropped whole. */
const HIDDEN_ELEMENTS = ["details", "script", "style", "template", "noscript", "iframe", "object", "svg", "math", "textarea", "select"];

/** Void elements that carry hidden text in attributes (alt, title). */
const HIDDEN_VOID = /<(?:img|image|source|input|meta|link|area|embed|track)\b[^>]*>/gi;

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Remove every character that hides, joins invisibly or reorders text (see INVISIBLE);
 * carriage returns become newlines. Nothing else changes: use it on text Architect writes.
 */
export function stripInvisible(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(INVISIBLE, "").replace(/[\u2028\u2029]/g, "\n");
}

/** Whether `text` holds a character `stripInvisible` removes. */
export function hasInvisible(text: string): boolean {
  return new RegExp(INVISIBLE.source).test(text);
}

/**
 * Clean untrusted text for a model or agent: NFKC, decode entities, remove HTML comments
 * (markers included), hidden elements, images (their alt text), link titles, invisible
 * characters; cap the length (`maxChars`, or a number for short). Idempotent, and repeated
 * until stable so nested tricks like `<!<!---->-- x -->` fail.
 */
export function sanitizeUntrusted(text: string | null | undefined, options: { maxChars?: number } | number = {}): string {
  if (!text) return "";
  const max = typeof options === "number" ? options : (options.maxChars ?? DEFAULT_MAX_CHARS);
  let current = text.replace(/\r\n?/g, "\n");
  for (let round = 0; round < 8; round++) {
    const next = sanitizeOnce(current);
    if (next === current) break;
    current = next;
  }
  current = current.replace(/\n{3,}/g, "\n\n").trim();
  return current.length > max ? `${cutAt(current, max)}\n${TRUNCATED_MARK}` : current;
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

function sanitizeOnce(text: string): string {
  let out = text.normalize("NFKC");
  out = decodeEntities(out);
  out = stripInvisible(out);
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

/** Cut without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `stripInvisible` on every string in a JSON-like value (keys included); other values as they are. */
export function stripInvisibleDeep(value: unknown): unknown {
  if (typeof value === "string") return stripInvisible(value);
  if (Array.isArray(value)) return value.map(stripInvisibleDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripInvisible(k), stripInvisibleDeep(v)]));
  }
  return value;
}
