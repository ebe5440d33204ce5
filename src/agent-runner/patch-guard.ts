/**
 * What an agent's change may touch. The publish job re-checks the paths git reports after
 * applying the patch (not the patch text the untrusted job produced), so this is the gate
 * between "an agent edited files" and "a commit is pushed with the App's token".
 */

/** Tool artefacts left in the working tree that never belong in a commit (git pathspecs). */
export const ARTIFACT_EXCLUDES: readonly string[] = [
  ":(exclude,glob).aider*",
  ":(exclude,glob)**/.aider*",
  // Aider's tag cache is a directory (`.aider.tags.cache.v4/…`); `*` does not cross a slash.
  ":(exclude,glob).aider*/**",
  ":(exclude,glob)**/.aider*/**",
  ":(exclude).openhands-state",
];

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
  {
    // Files a coding tool reads as its own settings or standing instructions. A committed
    // `.claude/settings.json` with `env.ANTHROPIC_BASE_URL` sends the model key elsewhere on
    // the next run (agent-clis.md); instructions files steer every later run. People change them.
    test: isAgentConfiguration,
    reason: "changes to coding-agent configuration are not allowed",
  },
];

/** Directories, at any depth, that hold a supported tool's settings. */
const AGENT_CONFIG_DIRS = new Set([".claude", ".codex", ".openhands"]);
/**
 * File names, at any depth, that a supported tool reads as settings or instructions. Exact
 * case, as the tools look them up (so `docs/agents.md` stays an ordinary file).
 */
const AGENT_CONFIG_FILES = new Set([
  "CLAUDE.md", // Claude Code
  "CLAUDE.local.md",
  ".mcp.json", // MCP servers for Claude Code (and others)
  "AGENTS.md", // Codex, and others that follow the AGENTS.md convention
  "AGENTS.override.md",
  ".openhands_instructions", // OpenHands
]);

/** True for a path any supported tool (Claude Code, Codex, Aider, OpenHands, Copilot) reads as configuration. */
export function isAgentConfiguration(path: string): boolean {
  const parts = path.split("/");
  const name = parts.at(-1) ?? "";
  const dirs = parts.slice(0, -1).map((dir) => dir.toLowerCase());
  if (dirs.some((dir) => AGENT_CONFIG_DIRS.has(dir) || dir.startsWith(".aider"))) return true;
  if (AGENT_CONFIG_FILES.has(name)) return true;
  if (name.toLowerCase().startsWith(".aider")) return true; // .aider.conf.yml, .aiderignore, .aider.model.settings.yml, …
  const lower = path.toLowerCase();
  // Copilot coding agent: repository instructions and path-specific instructions.
  return lower === ".github/copilot-instructions.md" || lower.startsWith(".github/instructions/") || lower.startsWith(".github/copilot/");
}

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
