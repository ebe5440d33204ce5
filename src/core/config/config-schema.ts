import { z } from "zod";

/**
 * The configuration schema. `architect.config.yml` at the App's root holds the defaults;
 * a repository overrides any key in `.github/architect.yml` on its default branch.
 * Unknown keys are errors (strict), so a typo never silently does nothing.
 */

/** Where a task's agent runs. */
export const AgentKind = z.enum(["workflow", "copilot"]);

/** The tool the reference agent workflow runs. Chosen by name, never by free text. */
export const AgentTool = z.enum(["claude-code", "codex", "aider", "openhands", "command", "scripted"]);

/** Agent and label names share one safe alphabet: they end up in labels, branch names and inputs. */
export const AgentName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "lowercase letters, digits and '-', at most 32");

export const AgentConfig = z
  .object({
    /** The name used in `agent:<name>` labels and in plans. */
    name: AgentName,
    kind: AgentKind.default("workflow"),
    /** Workflow file under `.github/workflows/` that is dispatched (kind: workflow). */
    workflow: z.string().regex(/^[\w.-]+\.ya?ml$/).default("architect-agent.yml"),
    tool: AgentTool.default("claude-code"),
    /**
     * For `tool: command`: the program and its arguments (an argv array, never a shell
     * string). The agent workflow replaces an element equal to `{prompt_file}` with the
     * prompt's path; the path is also in `ARCHITECT_PROMPT_FILE`.
     */
    command: z.array(z.string().min(1).max(500)).min(1).max(64).optional(),
    /**
     * The command the agent may run to check its work, as an argv array (e.g. `[npm, test]`).
     * Claude Code gets it as its only allowed shell command (`--allowedTools "Bash(npm test:*)"`);
     * the prompt names it for every tool. Plain words only: it becomes part of a permission rule.
     */
    test_command: z
      .array(z.string().regex(/^[A-Za-z0-9._/=@+-][A-Za-z0-9._/=@+:-]{0,99}$/, "letters, digits and . _ / = @ + - : only"))
      .min(1)
      .max(16)
      .optional(),
    /** Free-text capabilities shown to the planner so it can route tasks. */
    capabilities: z.string().max(500).default(""),
    /** At most this many tasks of this agent run at once. */
    max_concurrent: z.number().int().min(1).max(50).default(2),
    /**
     * The model whose price (from `prices`) applies to this agent's tokens when its tool
     * reports tokens but no cost (Codex). Default: the pinned tool's own default model.
     */
    model: z.string().min(1).max(100).optional(),
    /** Per-task caps passed to tools that have them (Claude Code `--max-turns`, `--max-budget-usd`). */
    max_turns: z.number().int().min(1).max(1000).optional(),
    max_usd_per_task: z.number().positive().max(10_000).optional(),
  })
  .strict();
export type AgentConfig = z.infer<typeof AgentConfig>;

export const PlannerName = z.enum(["markdown", "ollama", "openai"]);
export type PlannerName = z.infer<typeof PlannerName>;

export const PlannerConfig = z
  .object({
    /** Planners tried in order; the first valid plan wins. */
    chain: z.array(PlannerName).min(1).default(["markdown"]),
    max_tasks: z.number().int().min(1).max(100).default(30),
    max_depth: z.number().int().min(1).max(50).default(10),
    timeout_seconds: z.number().int().min(1).max(600).default(120),
    temperature: z.number().min(0).max(2).default(0.2),
    /** Invalid model output is sent back with the errors at most this many times. */
    max_repairs: z.number().int().min(0).max(5).default(2),
    ollama: z.object({ model: z.string().min(1).default("llama3.1") }).strict().default({ model: "llama3.1" }),
    openai: z.object({ model: z.string().min(1).default("gpt-4.1-mini") }).strict().default({ model: "gpt-4.1-mini" }),
  })
  .strict();

export const Price = z
  .object({ input_per_mtok: z.number().min(0), output_per_mtok: z.number().min(0) })
  .strict();

/**
 * The agents a repository gets when it names none: the reference workflow with each tool.
 * `architect.config.yml` states the same (a test pins the file to these defaults), so the
 * App, the CLI and an empty repository file all mean one thing.
 */
const DEFAULT_AGENTS: AgentConfig[] = [
  AgentConfig.parse({
    name: "claude",
    tool: "claude-code",
    capabilities: "General-purpose coding agent; good at multi-file changes, tests and refactors.",
    max_concurrent: 3,
  }),
  AgentConfig.parse({
    name: "codex",
    tool: "codex",
    capabilities: "Fast, focused changes with a clear spec; good for schemas, configuration and small modules.",
    max_concurrent: 3,
  }),
];

/** Published list prices (USD per million tokens) of the default planner models. */
/** `commands.refusals_per_hour` when the repository sets none (or its configuration is broken). */
export const DEFAULT_REFUSALS_PER_HOUR = 10;

const DEFAULT_PRICES: Record<string, z.infer<typeof Price>> = {
  "gpt-4.1-mini": { input_per_mtok: 0.4, output_per_mtok: 1.6 },
  "gpt-4.1": { input_per_mtok: 2.0, output_per_mtok: 8.0 },
};

export const ArchitectConfig = z
  .object({
    version: z.literal(1).default(1),
    planner: PlannerConfig.default(PlannerConfig.parse({})),
    approval: z
      .object({
        /** `required`: sub-issues are created only after `/architect approve`. */
        plan: z.enum(["auto", "required"]).default("auto"),
      })
      .strict()
      .default({ plan: "auto" }),
    caps: z
      .object({
        /** Running tasks across the whole repository. */
        repo: z.number().int().min(1).max(100).default(6),
        /** Running tasks within one milestone. */
        milestone: z.number().int().min(1).max(100).default(4),
      })
      .strict()
      .default({ repo: 6, milestone: 4 }),
    agents: z.array(AgentConfig).min(1).default(DEFAULT_AGENTS),
    /** Agent used when neither the plan nor a label names one. */
    default_agent: AgentName.default("claude"),
    retries: z
      .object({
        max_attempts: z.number().int().min(1).max(10).default(3),
        /** First retry waits this long; each further retry doubles it. */
        backoff_seconds: z.number().int().min(0).max(86_400).default(60),
      })
      .strict()
      .default({ max_attempts: 3, backoff_seconds: 60 }),
    reviews: z
      .object({
        max_review_cycles: z.number().int().min(0).max(10).default(2),
        /** Approvals from eligible humans needed before Architect merges. 0 = none. */
        required_approvals: z.number().int().min(0).max(6).default(1),
      })
      .strict()
      .default({ max_review_cycles: 2, required_approvals: 1 }),
    /**
     * Per-task gates: the first rule whose `match` fits a task sets its required approvals
     * (e.g. two approvals for anything touching `migrations/**`). A task matches when any of
     * its labels is listed, its key matches a `keys` glob, or its scope overlaps `scope`.
     */
    gates: z
      .array(
        z
          .object({
            match: z
              .object({
                keys: z.array(z.string().min(1)).default([]),
                labels: z.array(z.string().min(1)).default([]),
                scope: z.array(z.string().min(1)).default([]),
              })
              .strict(),
            required_approvals: z.number().int().min(0).max(6),
          })
          .strict(),
      )
      .default([]),
    timeouts: z
      .object({
        /** A run still going after this long is cancelled and retried. */
        run_minutes: z.number().min(0.01).max(24 * 60).default(60),
        /** A claimed task whose run has not appeared after this long is dispatched again. */
        dispatch_grace_minutes: z.number().min(0.01).max(120).default(5),
      })
      .strict()
      .default({ run_minutes: 60, dispatch_grace_minutes: 5 }),
    merge: z
      .object({
        /** `direct`: Architect merges when everything is green. `auto`: enable auto-merge. `off`: people merge. */
        mode: z.enum(["direct", "auto", "off"]).default("direct"),
        method: z.enum(["merge", "squash", "rebase"]).default("squash"),
      })
      .strict()
      .default({ mode: "direct", method: "squash" }),
    /** `merge`: dependents start when dependencies are merged. `checks`: when their required checks are green. */
    advance_on: z.enum(["merge", "checks"]).default("merge"),
    scope: z
      .object({
        /**
         * A change touching files outside its task's scope: `block` refuses to publish it and
         * comments the files on the task; `warn` publishes and comments; `off` does not check.
         */
        enforce: z.enum(["block", "warn", "off"]).default("block"),
      })
      .strict()
      .default({ enforce: "block" }),
    budget: z
      .object({
        /** Planning or dispatch past this many US dollars waits for `/architect approve`. 0 = no limit. */
        usd: z.number().min(0).default(0),
      })
      .strict()
      .default({ usd: 0 }),
    /** USD per million tokens, by model name. */
    prices: z.record(z.string(), Price).default(DEFAULT_PRICES),
    commands: z
      .object({
        /** Answers to commands from people without write access, per repository and hour; later ones get none. */
        refusals_per_hour: z.number().int().min(0).max(1000).default(DEFAULT_REFUSALS_PER_HOUR),
      })
      .strict()
      .default({ refusals_per_hour: DEFAULT_REFUSALS_PER_HOUR }),
    /** Resync every active milestone this often even without webhooks. */
    resync_minutes: z.number().min(0.01).max(24 * 60).default(10),
  })
  .strict();

export type ArchitectConfig = z.infer<typeof ArchitectConfig>;
export type ScopeEnforcement = ArchitectConfig["scope"]["enforce"];

/** The built-in defaults (what an empty file means). */
export function defaultConfig(): ArchitectConfig {
  return ArchitectConfig.parse({});
}
