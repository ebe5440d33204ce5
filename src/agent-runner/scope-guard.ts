import type { ScopeEnforcement } from "../core/config/config-schema.js";
import { decodeMarker, encodeMarker } from "../core/markers/markers.js";
import { codeSpan } from "../core/render/task-body.js";
import { filesOutsideScope } from "../core/scope/scope-match.js";
import type { ApiIssue } from "./github-api.js";

/**
 * Scope enforcement at publish. The scope comes from the task marker Architect wrote in the
 * task issue, trusted only when the issue is the App's own (its author is the bot this
 * job pushes as): nothing a stranger can edit widens or narrows what the agent may touch.
 */

/** The task's declared scope, or an empty list (undeclared, nothing is checked) without a trusted marker. */
export function trustedScope(issue: Pick<ApiIssue, "body" | "user">, botLogin: string): string[] {
  if (issue.user?.login !== botLogin) return [];
  return decodeMarker("task", issue.body ?? null)?.scope ?? [];
}

/** The scripted smoke-test tool's own run log; never part of a task's work. */
const SCRIPTED_LOG = ".architect/runs/";

/** What publish does about the changed `paths`: nothing, or comment (and, for `block`, refuse). */
export type ScopeVerdict = { kind: "ok" } | { kind: "warn" | "block"; outside: string[] };

export function judgeScope(paths: readonly string[], scope: readonly string[], enforce: ScopeEnforcement, tool: string): ScopeVerdict {
  if (enforce === "off") return { kind: "ok" };
  const judged = tool === "scripted" ? paths.filter((p) => !p.startsWith(SCRIPTED_LOG)) : paths;
  const outside = filesOutsideScope(judged, scope);
  return outside.length === 0 ? { kind: "ok" } : { kind: enforce, outside };
}

/** Files listed in one comment; the rest are counted. */
const MAX_LISTED = 50;

/**
 * The comment on the task. Paths come from the agent's change (untrusted): each is a code
 * span, where nothing is a mention or a link. The reply marker makes a re-run of the same
 * publish job find its comment instead of posting a second one.
 */
export function scopeComment(verdict: Exclude<ScopeVerdict, { kind: "ok" }>, scope: readonly string[], task: number, runKey: string): string {
  const n = verdict.outside.length;
  const files = `${n} file${n === 1 ? "" : "s"}`;
  const head =
    verdict.kind === "block"
      ? `**Architect refused to publish run \`${runKey}\`:** its change touches ${files} outside this task's scope (\`scope.enforce: block\`). Nothing was pushed.`
      : `**Run \`${runKey}\` was published, but its change touches ${files} outside this task's scope** (\`scope.enforce: warn\`).`;
  const listed = verdict.outside.slice(0, MAX_LISTED).map((p) => `- ${codeSpan(p)}`);
  if (n > MAX_LISTED) listed.push(`- …and ${n - MAX_LISTED} more`);
  const next =
    verdict.kind === "block"
      ? "To allow these files, widen the task's scope (edit the task list and `/architect replan`), or set `scope.enforce: warn` in `.github/architect.yml`."
      : "Review them with care: another task may own them.";
  return [
    head,
    "",
    "Outside the scope:",
    ...listed,
    "",
    `The scope: ${scope.map(codeSpan).join(", ")}`,
    "",
    next,
    "",
    encodeMarker("reply", { to: task, topic: scopeTopic(runKey) }),
  ].join("\n");
}

/** The reply marker's topic for one run's scope comment. */
export function scopeTopic(runKey: string): string {
  return `scope ${runKey}`.slice(0, 64);
}
