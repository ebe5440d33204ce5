#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PlannerName, type ArchitectConfig } from "../core/config/config-schema.js";
import { layerConfig, type ConfigDefaults } from "../app/config-loader.js";
import { loadDefaults } from "../app/defaults-file.js";
import { createPlanners } from "../planners/create-planners.js";
import { unpricedModels } from "../planners/cost.js";
import { planWithChain } from "../planners/plan-with-chain.js";
import type { Env } from "../planners/provider-error.js";
import { renderFailuresForCli, renderPlanForCli } from "./render-plan.js";

/**
 * `architect plan --file milestone.md`: plan a milestone locally with the same planners,
 * validator and failover chain as the App, and print the result. Never touches GitHub.
 */

export const USAGE = `Usage:
  architect plan --file <milestone.md> [--planner markdown|ollama|openai] [--config <architect.config.yml>] [--title <text>]
  architect help

plan    Plan the milestone described in a Markdown file and print the validated plan
        (task table, Mermaid graph, warnings, token cost). Exit code 1 when no valid plan.
        --file     the milestone description; a leading "# Title" line is its title
        --planner  use only this planner (default: the config's planner.chain)
        --config   an Architect config file, merged over the App's architect.config.yml
                   key by key, as a repository's .github/architect.yml is
        --title    the milestone title when the file has no "# Title" line

Model planners read OPENAI_API_KEY, OPENAI_BASE_URL and OLLAMA_HOST from the environment.`;

/** Where the CLI reads and writes; injected so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Env;
  readFile(path: string): string;
  /** The App's defaults (architect.config.yml); the same file the App starts from. */
  defaults?: () => ConfigDefaults;
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stdout(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== "plan") return fail(io, `unknown command "${command}"`);

  let values: { file?: string; planner?: string; config?: string; title?: string };
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: { file: { type: "string" }, planner: { type: "string" }, config: { type: "string" }, title: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(io, (error as Error).message);
  }
  if (!values.file) return fail(io, "--file is required");
  const planner = values.planner === undefined ? null : PlannerName.safeParse(values.planner);
  if (planner && !planner.success) return fail(io, `--planner must be one of ${PlannerName.options.join(", ")}`);

  let config: ArchitectConfig;
  let text: string;
  try {
    // The App's layering exactly: built-in defaults, architect.config.yml, then --config.
    const defaults = (io.defaults ?? loadDefaults)();
    const layered = layerConfig(defaults.raw, values.config ? { text: io.readFile(values.config), file: values.config } : null);
    if (!layered.ok) return fail(io, `invalid ${layered.file}:\n- ${layered.problems.join("\n- ")}`);
    config = layered.config;
    text = io.readFile(values.file);
  } catch (error) {
    return fail(io, (error as Error).message);
  }

  const milestone = milestoneFromMarkdown(text, values.title);
  const chain = planner ? [planner.data] : config.planner.chain;
  const result = await planWithChain(
    {
      milestone: { number: 0, ...milestone },
      comments: [],
      repo: null,
      agents: config.agents,
      defaultAgent: config.default_agent,
      limits: { maxTasks: config.planner.max_tasks, maxDepth: config.planner.max_depth },
    },
    { chain, planners: createPlanners(config, io.env), config },
  );
  if (!result.ok) {
    io.stderr(renderFailuresForCli(result.failures));
    return 1;
  }
  io.stdout(renderPlanForCli({ ...result, unpriced: unpricedModels(result.usage, config.prices) }));
  return 0;
}

/**
 * A leading `# Title` line is the title. The body stays the whole file, so the line
 * numbers in task-list errors match the file the person is editing.
 */
export function milestoneFromMarkdown(text: string, title?: string): { title: string; body: string } {
  const normalized = text.replace(/\r\n?/g, "\n");
  const heading = /^\s*# +(.+?)[ \t]*#*[ \t]*(?:\n|$)/.exec(normalized);
  return { title: title ?? heading?.[1] ?? "Milestone", body: normalized };
}

function fail(io: CliIo, message: string): number {
  io.stderr(`architect: ${message}\n\n${USAGE}`);
  return 1;
}

/**
 * True when this module is the program node was started with. Compared by real path: an
 * installed bin (`npm link`, `node_modules/.bin/architect`) is a symlink to this file, and
 * `process.argv[1]` is the link.
 */
export function isMainModule(moduleUrl: string, argv1: string | undefined): boolean {
  if (argv1 === undefined) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

if (isMainModule(import.meta.url, process.argv[1])) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    readFile: (path) => readFileSync(path, "utf8"),
  };
  main(process.argv.slice(2), io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`architect: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
