/**
 * What an agent's change may touch. The publish job re-checks the paths git reports after
 * applying the patch (not the patch text the untrusted job produced), so this is the gate
 * between "an agent edited files" and "a commit is pushed with the App's token".
 */

/** Tool artefacts left in the working tree that never belong in a commit (git pathspecs). */
export const ARTIFACT_EXCLUDES: readonly string[] = [":(exclude,glob).aider*", ":(exclude,glob)**/.aider*", ":(exclude).openhands-state"];

/** Largest patch the publish job applies, in bytes (a runaway agent should fail, not push 1 GB). */
export const MAX_PATCH_BYTES = 20 * 1024 * 1024;

const RULES: { test: (path: string) => boolean; reason: string }[] = [
  {
    // The App token has no `workflows` permission, so GitHub would reject the push anyway;
    // failing here gives a clear message and keeps agents from changing CI.
    test: (path) => path.startsWith(".github/workflows/"),
    reason: "changes under .github/workflows/ are not allowed",
  },
  {
    // The agent's own configuration (which command runs next time) is for people to change.
    test: (path) => path === ".github/architect.yml" || path === ".github/architect.yaml",
    reason: "changes to Architect's configuration are not allowed",
  },
  { test: (path) => path === ".git" || path.startsWith(".git/") || path.includes("/.git/"), reason: "changes inside .git are not allowed" },
];

/** A path the change may not contain, and why. */
export interface RejectedPath {
  path: string;
  reason: string;
}

/** Every changed path that breaks a rule (empty = allowed). */
export function findForbiddenPaths(paths: readonly string[]): RejectedPath[] {
  return paths.flatMap((path) => {
    const rule = RULES.find((r) => r.test(path));
    return rule ? [{ path, reason: rule.reason }] : [];
  });
}
