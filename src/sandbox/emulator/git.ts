import { createHash } from "node:crypto";
import type { Commit } from "./model.js";

/**
 * The little git the emulator needs: ancestry, merge bases and a three-way merge of
 * whole-file trees. A file changed differently on both sides is a conflict, which is what
 * makes "not mergeable" observable in the sandbox.
 */

/** A deterministic 40-hex sha for a new commit. */
export function commitSha(parts: { parents: string[]; message: string; files: Map<string, string>; time: number; salt: number }): string {
  const hash = createHash("sha1");
  hash.update(parts.parents.join(","));
  hash.update("\0" + parts.message + "\0" + parts.time + "\0" + parts.salt);
  for (const [path, content] of [...parts.files].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0${path}\0${content}`);
  return hash.digest("hex");
}

/** Every ancestor of `sha` including itself. */
export function ancestors(commits: Map<string, Commit>, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const parent of commits.get(next)?.parents ?? []) stack.push(parent);
  }
  return seen;
}

/** True when `maybeAncestor` is reachable from `sha` (or equal). */
export function isAncestor(commits: Map<string, Commit>, maybeAncestor: string, sha: string): boolean {
  return ancestors(commits, sha).has(maybeAncestor);
}

/** The nearest common ancestor (breadth-first from `b`), or null for unrelated histories. */
export function mergeBase(commits: Map<string, Commit>, a: string, b: string): string | null {
  const fromA = ancestors(commits, a);
  const queue = [b];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (fromA.has(next)) return next;
    queue.push(...(commits.get(next)?.parents ?? []));
  }
  return null;
}

/** Result of merging two trees against their base. */
export type TreeMerge = { ok: true; files: Map<string, string> } | { ok: false; conflicts: string[] };

const DELETED = Symbol("deleted");

/** Three-way merge of whole files: a path changed on both sides to different contents conflicts. */
export function mergeTrees(base: Map<string, string>, ours: Map<string, string>, theirs: Map<string, string>): TreeMerge {
  const paths = new Set([...base.keys(), ...ours.keys(), ...theirs.keys()]);
  const files = new Map<string, string>();
  const conflicts: string[] = [];
  for (const path of [...paths].sort()) {
    const b = base.get(path) ?? DELETED;
    const o = ours.get(path) ?? DELETED;
    const t = theirs.get(path) ?? DELETED;
    let result: string | typeof DELETED;
    if (o === t) result = o;
    else if (o === b) result = t;
    else if (t === b) result = o;
    else {
      conflicts.push(path);
      continue;
    }
    if (result !== DELETED) files.set(path, result);
  }
  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, files };
}
