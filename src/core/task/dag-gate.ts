import { scopesOverlap } from "../scope/scope-overlap.js";
import type { ArchitectConfig } from "../config/config-schema.js";
import type { MilestoneControl, TaskFacts } from "../decide/snapshot.js";
import { HOLD_LABEL } from "../../shared/labels.js";
import { countApprovals, pendingChangesRequest } from "./eligibility.js";

/**
 * The `architect/dag` verdict for a task PR. With that check required by branch
 * protection nothing merges out of order, whoever presses the button, so it is only
 * green when every dependency is merged and enough eligible people approved this head.
 */
export interface DagGate {
  status: "pending" | "success";
  title: string;
  summary: string;
}

/** What the gate needs to know beyond the task itself. */
export interface DagGateContext {
  /** Keys of merged (done) tasks; `advance_on: checks` does not loosen the merge order. */
  done: ReadonlySet<string>;
  /** Issue number of each task key, to name dependencies the way people see them. */
  issueNumbers: ReadonlyMap<string, number>;
  config: ArchitectConfig;
  control: MilestoneControl | null;
  botLogin: string;
}

/** Approvals this task needs: its own override, else the configured default. */
export function requiredApprovalsOf(task: TaskFacts, config: ArchitectConfig): number {
  const rule = config.gates.find((g) => gateMatches(g.match, task));
  return rule?.required_approvals ?? task.marker.requiredApprovals ?? config.reviews.required_approvals;
}

/** A gate rule fits a task by label, by key glob, or by overlapping scope. */
function gateMatches(match: ArchitectConfig["gates"][number]["match"], task: TaskFacts): boolean {
  if (match.labels.some((l) => task.issue.labels.includes(l))) return true;
  if (match.keys.some((glob) => keyGlob(glob).test(task.marker.key))) return true;
  return match.scope.length > 0 && scopesOverlap(match.scope, task.marker.scope);
}

/** `*` in a key glob is any run of key characters; everything else is literal. */
function keyGlob(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[a-z0-9-]*")}$`);
}

/** Compute the gate for a task whose PR is open. */
export function dagGateFor(task: TaskFacts, ctx: DagGateContext): DagGate {
  if (task.issue.labels.includes(HOLD_LABEL)) {
    return { status: "pending", title: "On hold", summary: `Remove the \`${HOLD_LABEL}\` label to let this task merge.` };
  }
  const waitingOn = task.marker.dependsOn.filter((k) => !ctx.done.has(k)).map((k) => nameOf(k, ctx.issueNumbers));
  const reviewCtx = { requester: ctx.control?.requestedBy ?? "", botLogin: ctx.botLogin };
  const approvals = task.pull ? countApprovals(task.pull, reviewCtx) : 0;
  const missing = Math.max(0, requiredApprovalsOf(task, ctx.config) - approvals);
  // A standing "changes requested" from an eligible reviewer holds the merge until they approve or it is dismissed.
  const objector = task.pull ? pendingChangesRequest(task.pull, reviewCtx, Number.NEGATIVE_INFINITY) : null;
  if (waitingOn.length === 0 && missing === 0 && objector === null) {
    return { status: "success", title: "Dependencies merged and approvals met", summary: "Every dependency of this task is merged and the required approvals are in." };
  }
  const parts: string[] = [];
  if (waitingOn.length > 0) parts.push(`${waitingOn.join(", ")} to merge`);
  if (missing > 0) parts.push(`${missing} approval${missing === 1 ? "" : "s"}`);
  if (objector) parts.push(`@${objector.author} to approve the requested changes`);
  const summary = [
    ...waitingOn.map((d) => `- dependency ${d} is not merged yet`),
    ...(missing > 0 ? [`- ${approvals} of ${missing + approvals} required approvals (from people with write access, not the plan's requester, on the current head)`] : []),
    ...(objector ? [`- @${objector.author} requested changes`] : []),
  ].join("\n");
  return { status: "pending", title: `Waiting for ${parts.join(" and ")}`, summary };
}

function nameOf(key: string, numbers: ReadonlyMap<string, number>): string {
  const number = numbers.get(key);
  return number === undefined ? key : `#${number} (${key})`;
}
