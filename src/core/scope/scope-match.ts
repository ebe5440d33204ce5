import picomatch from "picomatch";

/**
 * A task's scope as a rule, not a hint: the plan is checked for globs that cannot mean a
 * place in the repository (scopeGlobProblem), and the agent runner refuses a change that
 * touches files outside the scope (filesOutsideScope). The glob language is the one of
 * scope-overlap.ts and docs/task-list.md: `*`, `**`, `?`, `{a,b}`, `[...]`, and a glob also
 * covers everything below what it matches (`src/api` is the whole folder).
 */

/** picomatch options: dotfiles are files like any other; unbalanced brackets are errors, not literals. */
const OPTIONS = { dot: true, strictBrackets: true } as const;

/** Why `glob` is not a usable scope entry, or null when it is fine. Messages quote nothing. */
export function scopeGlobProblem(glob: string): string | null {
  const g = glob.trim();
  if (g === "") return "is empty";
  if (normalize(g) === "" || normalize(g) === ".") return "names the whole repository; write `**`, or declare no scope";
  if (g.startsWith("!")) return "is a negation; list the files the task may touch instead";
  if (g.startsWith("/") || g.startsWith("\\") || /^[A-Za-z]:/.test(g) || g.startsWith("~")) {
    return "is an absolute path; write it relative to the repository root";
  }
  if (g.split(/[\\/]/).includes("..")) return "leaves the repository with `..`";
  try {
    // A brace picomatch cannot close compiles to a regex that matches nothing.
    if (picomatch.makeRe(normalize(g), OPTIONS).source === "$^") return "is not a valid glob: a `{` is not closed";
  } catch (error) {
    return `is not a valid glob: ${(error as Error).message.replace(/ - use .*$/, "")}`;
  }
  return null;
}

/**
 * The changed files no glob of `scope` covers, in input order. An empty scope means the
 * task declared none: nothing is outside it. A glob that is not valid covers nothing
 * (fail closed: it cannot widen what a task may touch).
 */
export function filesOutsideScope(files: readonly string[], scope: readonly string[]): string[] {
  if (scope.length === 0) return [];
  const matchers = scope.flatMap((glob) => {
    if (scopeGlobProblem(glob) !== null) return [];
    return [picomatch(normalize(glob.trim()), OPTIONS)];
  });
  return files.filter((file) => !prefixesOf(file).some((path) => matchers.some((m) => m(path))));
}

/** `a/b/c.ts` → `a`, `a/b`, `a/b/c.ts`: a glob that matches a folder covers what is in it. */
function prefixesOf(file: string): string[] {
  const segments = file.split("/").filter((s) => s !== "" && s !== ".");
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

/** `./src/api/` → `src/api`. */
function normalize(glob: string): string {
  return glob.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}
