import { parseYaml } from "../../shared/yaml.js";
import type { WorkflowInputSpec } from "./model.js";

/**
 * Reads the parts of a workflow file that GitHub uses at dispatch time: its name, its
 * `run-name` template and its `workflow_dispatch` inputs.
 */
export interface WorkflowFile {
  name: string | null;
  runName: string | null;
  hasDispatch: boolean;
  inputs: WorkflowInputSpec[];
}

/** Parse a workflow file; null when it is not valid YAML or not a mapping. */
export function parseWorkflowFile(text: string): WorkflowFile | null {
  const parsed = parseYaml(text);
  if (!parsed.ok) return null;
  const doc = parsed.value;
  if (!doc || typeof doc !== "object") return null;
  const record = doc as Record<string, unknown>;
  const on = record.on ?? record.true;
  let dispatch: unknown = undefined;
  let hasDispatch = false;
  if (typeof on === "string") hasDispatch = on === "workflow_dispatch";
  else if (Array.isArray(on)) hasDispatch = on.includes("workflow_dispatch");
  else if (on && typeof on === "object" && "workflow_dispatch" in on) {
    hasDispatch = true;
    dispatch = (on as Record<string, unknown>).workflow_dispatch;
  }
  const inputs: WorkflowInputSpec[] = [];
  const rawInputs = dispatch && typeof dispatch === "object" ? (dispatch as Record<string, unknown>).inputs : undefined;
  if (rawInputs && typeof rawInputs === "object") {
    for (const [name, spec] of Object.entries(rawInputs as Record<string, unknown>)) {
      const s = (spec ?? {}) as Record<string, unknown>;
      inputs.push({ name, required: s.required === true, default: s.default === undefined || s.default === null ? null : String(s.default) });
    }
  }
  return {
    name: typeof record.name === "string" ? record.name : null,
    runName: typeof record["run-name"] === "string" ? record["run-name"] : null,
    hasDispatch,
    inputs,
  };
}

/**
 * Substitute `${{ inputs.x }}` and `${{ github.event.inputs.x }}` in a run-name, as GitHub
 * does for `display_title`. Other expressions become empty, which is close enough.
 */
export function renderRunName(template: string, inputs: Record<string, string>): string {
  return template.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const match = /^(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
    return match ? (inputs[match[1]!] ?? "") : "";
  });
}
