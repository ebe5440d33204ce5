/**
 * The fixed table of agent tools the workflow can run. A task names an agent; the agent's
 * config (from the repository's default branch) names a tool from this table; nothing from
 * an issue or comment ever chooses or shapes a command. Every command is an argv array run
 * without a shell, and the prompt travels as a file or on stdin, never inside an argument
 * that a shell would parse.
 */

/** Stands for the prompt file's path in an argv; replaced only when it is a whole element. */
export const PROMPT_FILE = "{prompt_file}";

/** Names of the tools in the table (mirrors `AgentTool` in the config schema). */
export type ToolName = "claude-code" | "codex" | "aider" | "openhands" | "command" | "scripted";

/** How to run one tool. */
export interface ToolSpec {
  /** Installs the tool on a fresh runner; null when nothing needs installing. */
  install: string[] | null;
  /** The program and its arguments; null for `command` (the repository supplies it) and `scripted` (built in). */
  argv: string[] | null;
  /** Feed the prompt on stdin (otherwise the argv references {prompt_file}). */
  promptOnStdin: boolean;
  /** Secrets the tool needs, for the docs and for a clear error when one is missing. */
  keys: string[];
}

/** The table itself. Data, so adding a tool is one entry and one test row. */
export const TOOLS: Record<ToolName, ToolSpec> = {
  "claude-code": {
    install: ["npm", "install", "--global", "--no-audit", "--no-fund", "@anthropic-ai/claude-code"],
    argv: ["claude", "-p", "--permission-mode", "acceptEdits", "--output-format", "text"],
    promptOnStdin: true,
    keys: ["ANTHROPIC_API_KEY"],
  },
  codex: {
    install: ["npm", "install", "--global", "--no-audit", "--no-fund", "@openai/codex"],
    // `-` reads the prompt from stdin; workspace-write lets it edit the checkout only.
    argv: ["codex", "exec", "--sandbox", "workspace-write", "-"],
    promptOnStdin: true,
    keys: ["OPENAI_API_KEY"],
  },
  aider: {
    install: ["python3", "-m", "pip", "install", "--quiet", "aider-chat"],
    // Architect commits after validation, so aider must not commit on its own.
    argv: ["aider", "--yes", "--no-auto-commits", "--no-gitignore", "--message-file", PROMPT_FILE],
    promptOnStdin: false,
    keys: ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"],
  },
  openhands: {
    install: ["python3", "-m", "pip", "install", "--quiet", "openhands-ai"],
    argv: ["python3", "-m", "openhands.core.main", "-f", PROMPT_FILE],
    promptOnStdin: false,
    keys: ["LLM_API_KEY"],
  },
  command: { install: null, argv: null, promptOnStdin: false, keys: [] },
  scripted: { install: null, argv: null, promptOnStdin: false, keys: [] },
};

/** What the runner will execute for one run. */
export type ToolPlan =
  | { kind: "spawn"; tool: ToolName; install: string[] | null; argv: string[]; promptOnStdin: boolean }
  /** No model: writes a deterministic file, for smoke-testing the workflow on a real repository. */
  | { kind: "scripted"; tool: "scripted" };

/** The agent fields the plan depends on (a subset of `AgentConfig`). */
export interface AgentToolConfig {
  name: string;
  tool: ToolName;
  command?: string[] | undefined;
}

/**
 * Resolve the argv for an agent. Throws with a user-facing message when the config cannot
 * be run (a `command` agent without a command).
 */
export function planTool(agent: AgentToolConfig, promptFile: string): ToolPlan {
  if (agent.tool === "scripted") return { kind: "scripted", tool: "scripted" };
  const spec = TOOLS[agent.tool];
  const argv = agent.tool === "command" ? agent.command : spec.argv;
  if (!argv || argv.length === 0) {
    throw new Error(`agent '${agent.name}' uses tool 'command' but has no 'command' in .github/architect.yml`);
  }
  return {
    kind: "spawn",
    tool: agent.tool,
    install: spec.install,
    argv: argv.map((arg) => (arg === PROMPT_FILE ? promptFile : arg)),
    promptOnStdin: spec.promptOnStdin,
  };
}
