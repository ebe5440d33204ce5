import { parseYaml } from "../shared/yaml.js";
import type { z } from "zod";
import { ArchitectConfig } from "../core/config/config-schema.js";

/** Where a repository's configuration lives (default branch only; PRs cannot change it). */
export const REPO_CONFIG_PATH = ".github/architect.yml";

export type ConfigResult =
  | { ok: true; config: ArchitectConfig }
  | { ok: false; file: string; problems: string[] };

/**
 * Parse the App's defaults file. A broken defaults file is an operator error: it throws
 * with every problem listed, before the App serves anything.
 */
export function parseDefaults(text: string, file = "architect.config.yml"): ConfigDefaults {
  const result = parseConfigText(text, {}, file);
  if (!result.ok) throw new Error(`invalid ${file}:\n- ${result.problems.join("\n- ")}`);
  const parsed = parseYaml(text);
  return { config: result.config, raw: parsed.ok ? parsed.value : {} };
}

/** The App's defaults: validated, and raw (what repository files are merged over). */
export interface ConfigDefaults {
  config: ArchitectConfig;
  raw: unknown;
}

/**
 * The effective configuration: the repository's file (if any) deep-merged over the raw
 * defaults, then validated as a whole. Problems name the file and the key.
 */
export function resolveRepoConfig(repoText: string | null, defaultsRaw: unknown): ConfigResult {
  if (repoText === null) return validate(defaultsRaw, REPO_CONFIG_PATH);
  return parseConfigText(repoText, defaultsRaw, REPO_CONFIG_PATH);
}

function parseConfigText(text: string, base: unknown, file: string): ConfigResult {
  const parsed = parseYaml(text);
  if (!parsed.ok) return { ok: false, file, problems: [parsed.problem] };
  const raw = parsed.value ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, file, problems: ["the file must be a YAML mapping of keys to values"] };
  }
  return validate(deepMerge(base, raw), file);
}

function validate(raw: unknown, file: string): ConfigResult {
  const parsed = ArchitectConfig.safeParse(raw);
  if (!parsed.success) return { ok: false, file, problems: parsed.error.issues.map(describeIssue) };
  const semantic = semanticProblems(parsed.data);
  if (semantic.length > 0) return { ok: false, file, problems: semantic };
  return { ok: true, config: parsed.data };
}

/** Checks zod cannot express: cross-references between keys. */
function semanticProblems(config: ArchitectConfig): string[] {
  const problems: string[] = [];
  const names = config.agents.map((a) => a.name);
  const seen = new Set<string>();
  config.agents.forEach((agent, i) => {
    if (seen.has(agent.name)) problems.push(`key \`agents[${i}].name\`: duplicate agent name "${agent.name}"`);
    seen.add(agent.name);
  });
  if (!names.includes(config.default_agent)) {
    problems.push(`key \`default_agent\`: "${config.default_agent}" is not one of the configured agents (${names.join(", ")})`);
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length === 0 ? "(top level)" : formatPath(issue.path);
  return `key \`${key}\`: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "");
}

/** Objects merge key by key; arrays and scalars from `over` replace those in `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    out[key] = deepMerge(base[key], value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
