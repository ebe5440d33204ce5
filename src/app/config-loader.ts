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
  return layerConfig(defaultsRaw, repoText === null ? null : { text: repoText, file: REPO_CONFIG_PATH }, { repository: true });
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

/**
 * Keys only the App's own defaults file may set: they configure the process, not a
 * repository (one resync timer serves every installation), so a repository setting them
 * would be silently ignored. A repository file naming one is rejected instead.
 */
export const APP_ONLY_KEYS: readonly string[] = ["resync_minutes"];

/**
 * The one way configuration is layered, by the App and by the CLI: the schema's built-in
 * defaults fill what the App's defaults file (architect.config.yml) leaves out, and a file
 * over it (a repository's `.github/architect.yml`, or the CLI's `--config`) is deep-merged
 * key by key before the whole is validated. Problems name the file and the key.
 */
export function layerConfig(
  defaultsRaw: unknown,
  over: { text: string; file: string } | null,
  options: { repository?: boolean } = {},
): ConfigResult {
  if (over === null) return validate(defaultsRaw, REPO_CONFIG_PATH);
  const result = parseConfigText(over.text, defaultsRaw, over.file);
  if (!options.repository) return result;
  const appOnly = appOnlyKeysIn(over.text);
  if (appOnly.length === 0) return result;
  const problems = appOnly.map(
    (key) => `key \`${key}\`: not a repository setting (it is the App's, in its architect.config.yml); remove it from this file`,
  );
  return { ok: false, file: over.file, problems: [...problems, ...(result.ok ? [] : result.problems)] };
}

/** Top-level app-only keys a YAML mapping sets (none when the text is not a mapping). */
function appOnlyKeysIn(text: string): string[] {
  const parsed = parseYaml(text);
  const raw = parsed.ok ? parsed.value : null;
  return isPlainObject(raw) ? APP_ONLY_KEYS.filter((key) => Object.hasOwn(raw, key)) : [];
}
