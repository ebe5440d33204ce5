import { load, YAMLException } from "js-yaml";

/**
 * YAML for configuration and workflow files, through js-yaml with its default (YAML 1.2
 * core) schema: `on:` stays a string key, as GitHub reads workflows. Aliases are capped so
 * a small file cannot expand into a huge document.
 */
export const MAX_YAML_ALIASES = 50;

export type YamlResult = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Parse one YAML document. A malformed file yields a problem naming the line and column
 * (1-based) and quoting the line, e.g.
 * `not valid YAML at line 2, column 1: duplicated mapping key (\`a: 2\`)`.
 */
export function parseYaml(text: string): YamlResult {
  try {
    return { ok: true, value: load(text, { maxAliases: MAX_YAML_ALIASES }) };
  } catch (error) {
    return { ok: false, problem: describeYamlError(error, text) };
  }
}

export function describeYamlError(error: unknown, text: string): string {
  if (!(error instanceof YAMLException)) return `not valid YAML: ${(error as Error).message.split("\n")[0]}`;
  const mark = error.mark;
  if (!mark) return `not valid YAML: ${error.reason}`;
  const line = (text.split(/\r?\n/)[mark.line] ?? "").trim();
  const quoted = line ? ` (\`${line.length > 60 ? `${line.slice(0, 57)}...` : line}\`)` : "";
  return `not valid YAML at line ${mark.line + 1}, column ${mark.column + 1}: ${error.reason}${quoted}`;
}
