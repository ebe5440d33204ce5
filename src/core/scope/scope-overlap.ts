/**
 * Two tasks whose file scopes could touch the same file must never run at once, or their
 * PRs conflict. This decides "could touch the same file" from the globs alone, without a
 * file tree: it asks whether some path exists that matches a glob of each side.
 *
 * Glob language: `*` and `?` within one segment, `**` for any number of segments,
 * `{a,b}` alternatives, `[...]` classes (treated as any one character), literal paths.
 * Every glob also covers everything below what it matches, so `src/api` and `src/api/`
 * mean the whole directory and `src/a*` covers `src/ab/x`.
 * Whenever the answer is unclear (negations, too many alternatives) it says "overlap":
 * a false overlap only serialises two tasks, a missed one produces a merge conflict.
 */

const MAX_BRACE_EXPANSION = 64;

/**
 * True when some file path could match a glob of `a` and a glob of `b`. An empty list
 * means the task did not declare a scope and overlaps nothing.
 */
export function scopesOverlap(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const left = a.map(expandGlob);
  const right = b.map(expandGlob);
  if (left.includes(null) || right.includes(null)) return true;
  for (const la of left as string[][][]) {
    for (const rb of right as string[][][]) {
      for (const x of la) for (const y of rb) if (segmentsIntersect(x, y)) return true;
    }
  }
  return false;
}

/** True when one glob could match a path another glob also matches (the single-pair form). */
export function globsOverlap(a: string, b: string): boolean {
  return scopesOverlap([a], [b]);
}

/**
 * A glob as alternatives of segment lists, each ending in `**` (the "and below" rule).
 * Null means "could be anything" (a negation or an explosion of alternatives).
 */
function expandGlob(glob: string): string[][] | null {
  const trimmed = glob.trim();
  if (trimmed.startsWith("!")) return null;
  const alternatives = expandBraces(trimmed);
  if (alternatives === null) return null;
  return alternatives.map(toSegments);
}

function toSegments(glob: string): string[] {
  const segments = glob
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "" && s !== ".")
    // `a**b` is not a globstar; within a segment it behaves like `*`.
    .map((s) => (s !== "**" && s.includes("**") ? s.replace(/\*{2,}/g, "*") : s));
  const collapsed: string[] = [];
  for (const s of segments) if (!(s === "**" && collapsed[collapsed.length - 1] === "**")) collapsed.push(s);
  if (collapsed[collapsed.length - 1] !== "**") collapsed.push("**");
  return collapsed;
}

/** `{a,b}c` → [`ac`, `bc`]; null past the expansion cap. Unbalanced braces stay literal. */
function expandBraces(glob: string): string[] | null {
  const open = glob.indexOf("{");
  if (open < 0) return [glob];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) {
      close = i;
      break;
    } else if (c === "," && depth === 1) commas.push(i);
  }
  if (close < 0) return [glob];
  const bounds = [open, ...commas, close];
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const option = glob.slice((bounds[k] as number) + 1, bounds[k + 1]);
    const expanded = expandBraces(head + option + tail);
    if (expanded === null) return null;
    out.push(...expanded);
    if (out.length > MAX_BRACE_EXPANSION) return null;
  }
  return out;
}

/** Is there a segment sequence matched by both patterns? (`**` = zero or more segments.) */
function segmentsIntersect(a: readonly string[], b: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const id = i * (b.length + 1) + j;
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "**") result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === "**") result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = segmentGlobsIntersect(a[i] as string, b[j] as string) && go(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return go(0, 0);
}

/** One character matcher of a segment glob. */
type Atom = { kind: "star" } | { kind: "any" } | { kind: "char"; char: string };

function atoms(segment: string): Atom[] {
  const out: Atom[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "*") {
      if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" });
    } else if (c === "?") out.push({ kind: "any" });
    else if (c === "[") {
      // A class is one character we do not model precisely: treat it as `?` (conservative).
      const end = segment.indexOf("]", i + 2);
      if (end < 0) out.push({ kind: "char", char: c });
      else {
        out.push({ kind: "any" });
        i = end;
      }
    } else if (c === "\\" && i + 1 < segment.length) out.push({ kind: "char", char: segment[++i] as string });
    else out.push({ kind: "char", char: c });
  }
  return out;
}

/** Is there one segment (a non-empty string without `/`) matched by both segment globs? */
function segmentGlobsIntersect(x: string, y: string): boolean {
  const a = atoms(x);
  const b = atoms(y);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const id = i * (b.length + 1) + j;
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const p = a[i];
    const q = b[j];
    let result: boolean;
    if (p === undefined && q === undefined) result = true;
    else if (p?.kind === "star") result = go(i + 1, j) || (q !== undefined && go(i, j + 1));
    else if (q?.kind === "star") result = go(i, j + 1) || (p !== undefined && go(i + 1, j));
    else if (p === undefined || q === undefined) result = false;
    else result = (p.kind === "any" || q.kind === "any" || p.char === q.char) && go(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return go(0, 0);
}
