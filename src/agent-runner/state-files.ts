import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ToolPlan } from "./tools.js";

/**
 * Files passed between the runner's steps inside the agent job (prompt, plan) and from the
 * agent job to the publish job (the patch, as an artifact). The publish job reads only the
 * patch: everything else it needs it fetches again with its own token.
 */
export const STATE_FILES = {
  prompt: "prompt.md",
  plan: "plan.json",
  patch: "changes.patch",
  /** What the agent step ended with (changes, or no changes and why), for the publish job. */
  outcome: "outcome.json",
  /** What the tool run cost (RunUsage JSON); travels with the patch to the publish job. */
  usage: "usage.json",
} as const;

/** Absolute path of one state file. */
export function statePath(stateDir: string, name: keyof typeof STATE_FILES): string {
  return join(stateDir, STATE_FILES[name]);
}

export async function writeState(stateDir: string, name: keyof typeof STATE_FILES, text: string | Buffer): Promise<string> {
  await mkdir(stateDir, { recursive: true });
  const path = statePath(stateDir, name);
  await writeFile(path, text);
  return path;
}

export async function readPlan(stateDir: string): Promise<ToolPlan> {
  return JSON.parse(await readFile(statePath(stateDir, "plan"), "utf8")) as ToolPlan;
}
