import type { GitHubGateway } from "../github/gateway.js";
import type { ConfigResult } from "./config-loader.js";
import { replyOnce } from "./replies.js";

/**
 * An invalid configuration stops Architect on that repository (fail closed) and says why
 * on the milestone, naming the file and every bad key, once per distinct set of problems.
 */
export async function reportConfigProblems(
  gateway: GitHubGateway,
  issue: number,
  result: Extract<ConfigResult, { ok: false }>,
  botLogin: string,
): Promise<void> {
  const body = renderConfigProblems(result);
  await replyOnce(gateway, issue, botLogin, issue, `config-${fingerprint(body)}`, body);
}

export function renderConfigProblems(result: Extract<ConfigResult, { ok: false }>): string {
  return [
    `**Architect cannot run: \`${result.file}\` is invalid.** Nothing was created or changed. Fix these and Architect picks up again on the next event:`,
    "",
    ...result.problems.map((p) => `- ${p}`),
  ].join("\n");
}

/** Short stable hash (FNV-1a) so the same problems are reported once. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
