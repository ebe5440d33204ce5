/**
 * The fixed table of agent tools the workflow can run. A task names an agent; the agent's
 * config (from the repository's default branch) names a tool from this table; nothing from
 * an issue or comment ever chooses or shapes a command. Every command is an argv array run
 * without a shell, and the prompt travels as a file or on stdin, never inside an argument
 * that a shell would parse.
 *
 * How each CLI behaves (keys, base URLs, sandbox, permissions) is measured in
 * ../shared/reference/agent-clis.md; the choices below follow it.
 */

/** Stands for the prompt file's path in an argv; replaced only when it is a whole element. */
export const PROMPT_FILE = "{prompt_file}";

/** Names of the tools in the table (mirrors `AgentTool` in the config schema). */
export type ToolName = "claude-code" | "codex" | "aider" | "openhands" | "command" | "scripted";

/**
 * The one place the CLI versions are pinned. The same exact versions are the repository's
 * dev dependencies (a test checks they agree), so the end-to-end tests with the real CLIs
 * are the gate for an upgrade: change both together, deliberately.
 */
export const PINNED_CLIS = {
  "claude-code": { package: "@anthropic-ai/claude-code", version: "2.1.197" },
  codex: { package: "@openai/codex", version: "0.171.0" },
} as const satisfies Partial<Record<ToolName, { package: string; version: string }>>;

const npmInstall = (tool: keyof typeof PINNED_CLIS, ignoreScripts: boolean): string[] => [
  "npm",
  "install",
  "--global",
  "--no-audit",
  "--no-fund",
  ...(ignoreScripts ? ["--ignore-scripts"] : []),
  `${PINNED_CLIS[tool].package}@${PINNED_CLIS[tool].version}`,
];

/** How to run one tool. */
export interface ToolSpec {
  /**
   * Installs the tool on a fresh runner; null when nothing needs installing. Runs in its own
   * step with no model key in the environment (an install script sees no secret).
   */
  install: string[] | null;
  /** The program and its arguments; null for `command` (the repository supplies it) and `scripted` (built in). */
  argv: string[] | null;
  /** Feed the prompt on stdin (otherwise the argv references {prompt_file}). */
  promptOnStdin: boolean;
  /** Secrets the tool can use (any one suffices), for the docs and for a clear error when all are missing. */
  keys: string[];
  /** Optional, non-secret variables the tool reads (base URLs, models), for the docs. */
  variables: string[];
  /** Fixed environment for the tool process: no telemetry, no self-update. */
  env: Record<string, string>;
  /** How the tool reports its usage on stdout (see usage.ts); null = it does not. */
  usage: "claude-json" | "codex-jsonl" | null;
  /**
   * The model the tool uses when the agent's config names none, for pricing its tokens
   * (Codex 0.171.0 sends `gpt-6.2-sol`, measured); "" when the tool reports the model itself.
   */
  defaultModel: string;
}

/** The table itself. Data, so adding a tool is one entry and one test row. */
export const TOOLS: Record<ToolName, ToolSpec> = {
  "claude-code": {
    // Its postinstall script links the native binary, so scripts stay on; the install step has no keys.
    install: npmInstall("claude-code", false),
    // acceptEdits allows file edits in the checkout only; shell commands are denied unless
    // listed with --allowedTools (the repository's test command, added by planTool).
    // JSON output: the result object carries the run's cost and tokens (usage.ts).
    argv: ["claude", "-p", "--permission-mode", "acceptEdits", "--output-format", "json"],
    promptOnStdin: true,
    keys: ["ANTHROPIC_API_KEY"],
    variables: ["ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL"],
    env: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_AUTOUPDATER: "1", DISABLE_TELEMETRY: "1", DISABLE_ERROR_REPORTING: "1" },
    usage: "claude-json",
    defaultModel: "",
  },
  codex: {
    // A JavaScript launcher plus a native binary from optional dependencies: no script needed.
    install: npmInstall("codex", true),
    // `-` reads the prompt from stdin; workspace-write lets commands write the checkout and
    // $TMPDIR only, with no network. Codex reads CODEX_API_KEY (not OPENAI_API_KEY) and
    // `-c openai_base_url=…` (not OPENAI_BASE_URL): toolLaunch maps both.
    // `--json`: JSON-lines events on stdout; `turn.completed` carries the token counts (usage.ts).
    argv: ["codex", "exec", "--json", "--sandbox", "workspace-write", "-c", "analytics.enabled=false", "-c", "check_for_update_on_startup=false", "-"],
    promptOnStdin: true,
    keys: ["CODEX_API_KEY", "OPENAI_API_KEY"],
    variables: ["OPENAI_BASE_URL"],
    env: {},
    usage: "codex-jsonl",
    defaultModel: "gpt-6.2-sol",
  },
  aider: {
    install: ["python3", "-m", "pip", "install", "--quiet", "aider-chat"],
    // Architect commits after validation, so aider must not commit on its own.
    argv: ["aider", "--yes", "--no-auto-commits", "--no-gitignore", "--no-check-update", "--analytics-disable", "--message-file", PROMPT_FILE],
    promptOnStdin: false,
    keys: ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"],
    variables: [],
    env: {},
    usage: null,
    defaultModel: "",
  },
  openhands: {
    install: ["python3", "-m", "pip", "install", "--quiet", "openhands-ai"],
    argv: ["python3", "-m", "openhands.core.main", "-f", PROMPT_FILE],
    promptOnStdin: false,
    keys: ["LLM_API_KEY"],
    variables: ["LLM_MODEL", "LLM_BASE_URL"],
    env: {},
    usage: null,
    defaultModel: "",
  },
  command: { install: null, argv: null, promptOnStdin: false, keys: [], variables: [], env: {}, usage: null, defaultModel: "" },
  scripted: { install: null, argv: null, promptOnStdin: false, keys: [], variables: [], env: {}, usage: null, defaultModel: "" },
};

/** What the runner will execute for one run. Written by `prepare`, read by `install` and `agent`. */
export type ToolPlan =
  | {
      kind: "spawn";
      tool: ToolName;
      install: string[] | null;
      argv: string[];
      promptOnStdin: boolean;
      /** The command the agent may run to check its work (from the repository's config), if any. */
      testCommand?: string[] | null;
      /** How to read the tool's usage from its stdout (absent in plans written by older runners). */
      usage?: ToolSpec["usage"];
      /** The model its tokens are priced by, when the tool does not report it. */
      model?: string;
    }
  /** No model: writes a deterministic file, for smoke-testing the workflow on a real repository. */
  | { kind: "scripted"; tool: "scripted" };

/** The agent fields the plan depends on (a subset of `AgentConfig`). */
export interface AgentToolConfig {
  name: string;
  tool: ToolName;
  command?: string[] | undefined;
  test_command?: string[] | undefined;
  /** The model to price the tool's tokens by (when the tool does not report it). */
  model?: string | undefined;
  /** Per-task caps, passed to tools that have them (Claude Code: `--max-turns`, `--max-budget-usd`). */
  max_turns?: number | undefined;
  max_usd_per_task?: number | undefined;
}

/**
 * The characters a test-command word may have. It ends up inside Claude Code's permission
 * rule `Bash(<words>:*)`, so parentheses, globs, quotes and shell syntax are excluded.
 */
export const TEST_COMMAND_WORD = /^[A-Za-z0-9._/=@+-][A-Za-z0-9._/=@+:-]{0,99}$/;

/**
 * Resolve the argv for an agent. Throws with a user-facing message when the config cannot
 * be run (a `command` agent without a command, a test command with unsafe characters).
 */
export function planTool(agent: AgentToolConfig, promptFile: string): ToolPlan {
  if (agent.tool === "scripted") return { kind: "scripted", tool: "scripted" };
  const spec = TOOLS[agent.tool];
  const argv = agent.tool === "command" ? agent.command : spec.argv;
  if (!argv || argv.length === 0) {
    throw new Error(`agent '${agent.name}' uses tool 'command' but has no 'command' in .github/architect.yml`);
  }
  const testCommand = agent.test_command ?? null;
  if (testCommand) {
    const bad = testCommand.find((word) => !TEST_COMMAND_WORD.test(word));
    if (bad !== undefined || testCommand.length === 0) {
      throw new Error(`agent '${agent.name}' has a test_command word that is not allowed (letters, digits and . _ / = @ + - : only)`);
    }
  }
  const extra = agent.tool === "claude-code" && testCommand ? ["--allowedTools", `Bash(${testCommand.join(" ")}:*)`] : [];
  const resolved = argv.map((arg) => (arg === PROMPT_FILE ? promptFile : arg));
  // Options go before the trailing `-` (stdin) for tools that take one; claude reads stdin with -p alone.
  return {
    kind: "spawn",
    tool: agent.tool,
    install: spec.install,
    argv: [...resolved, ...extra, ...capFlags(agent)],
    promptOnStdin: spec.promptOnStdin,
    testCommand,
    usage: spec.usage,
    model: agent.model ?? spec.defaultModel,
  };
}

/**
 * The per-task caps as flags of tools that take them. Claude Code stops at `--max-turns`
 * and at `--max-budget-usd` (exit 1; its JSON result still carries the cost); Codex's
 * `exec` has neither, so its runs are bounded by the run timeout only.
 */
function capFlags(agent: AgentToolConfig): string[] {
  if (agent.tool !== "claude-code") return [];
  const flags: string[] = [];
  if (agent.max_turns !== undefined) flags.push("--max-turns", String(agent.max_turns));
  if (agent.max_usd_per_task !== undefined) flags.push("--max-budget-usd", String(agent.max_usd_per_task));
  return flags;
}

/** A tool process ready to start: the argv and the variables added to its environment. */
export interface ToolLaunch {
  argv: string[];
  env: Record<string, string>;
}

/**
 * Turn a plan into the process to start, given the agent step's environment (model keys and
 * base URLs live only there). Maps each tool's own variable names: Codex ignores
 * OPENAI_API_KEY and OPENAI_BASE_URL, so the key becomes CODEX_API_KEY and the base URL a
 * `-c openai_base_url=…` option; `codexHome` keeps Codex away from any user config.
 * Throws when no key the tool can use is set, or a base URL is not an http(s) URL.
 */
export function toolLaunch(plan: Extract<ToolPlan, { kind: "spawn" }>, processEnv: NodeJS.ProcessEnv, options: { codexHome: string }): ToolLaunch {
  const spec = TOOLS[plan.tool];
  if (spec.keys.length > 0 && !spec.keys.some((key) => processEnv[key])) {
    throw new Error(`tool '${plan.tool}' needs one of these secrets in the agent step: ${spec.keys.join(", ")}`);
  }
  const env: Record<string, string> = { ...spec.env };
  let argv = [...plan.argv];
  if (plan.tool === "claude-code" && processEnv.ANTHROPIC_BASE_URL) checkBaseUrl("ANTHROPIC_BASE_URL", processEnv.ANTHROPIC_BASE_URL);
  if (plan.tool === "codex") {
    const key = processEnv.CODEX_API_KEY || processEnv.OPENAI_API_KEY;
    if (key) env.CODEX_API_KEY = key;
    env.CODEX_HOME = options.codexHome;
    const baseUrl = processEnv.OPENAI_BASE_URL;
    if (baseUrl) {
      checkBaseUrl("OPENAI_BASE_URL", baseUrl);
      // A TOML string (JSON string syntax is valid TOML for a URL), before the trailing `-`.
      const at = argv.lastIndexOf("-");
      const option = ["-c", `openai_base_url=${JSON.stringify(baseUrl)}`];
      argv = at >= 0 ? [...argv.slice(0, at), ...option, ...argv.slice(at)] : [...argv, ...option];
    }
  }
  return { argv, env };
}

function checkBaseUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${name} must be an http(s) URL`);
}
