import { load as parse } from "js-yaml";

/**
 * Static rules for GitHub Actions workflows (reliability-security WH-1..WH-5, AS-7).
 * Exported so other suites (and the lead's doctor checks) can run the same rules.
 * Each rule returns violations rather than throwing, so one test lists every problem.
 */

/** One broken rule in one place. */
export interface Violation {
  rule: "parse" | "run-expression" | "unpinned-action" | "permissions" | "timeout" | "trigger" | "pull-request-target" | "concurrency" | "persist-credentials" | "secrets";
  where: string;
  message: string;
}

/** Options for the agent workflow's stricter rules. */
export interface WorkflowRuleOptions {
  /** Apply the agent-workflow rules (workflow_dispatch only, per-task concurrency, secret scoping). */
  agent?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
const DOCKER_PINNED = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/** Trigger names of a workflow's `on:` (string, list or mapping form). */
export function triggersOf(doc: Json): string[] {
  const on = doc.on ?? doc.true;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  if (isObject(on)) return Object.keys(on);
  return [];
}

/** Check one workflow file's text. */
export function checkWorkflow(name: string, text: string, options: WorkflowRuleOptions = {}): Violation[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return [{ rule: "parse", where: name, message: (error as Error).message }];
  }
  if (!isObject(doc)) return [{ rule: "parse", where: name, message: "not a YAML mapping" }];
  const out: Violation[] = [];
  const triggers = triggersOf(doc);
  if (triggers.includes("pull_request_target")) {
    out.push({ rule: "pull-request-target", where: name, message: "pull_request_target runs with secrets on untrusted PRs" });
  }
  if (options.agent && (triggers.length !== 1 || triggers[0] !== "workflow_dispatch")) {
    out.push({ rule: "trigger", where: name, message: `agent workflow must trigger on workflow_dispatch only, has: ${triggers.join(", ")}` });
  }
  if (!("permissions" in doc)) out.push({ rule: "permissions", where: name, message: "no top-level permissions" });
  if (options.agent) out.push(...agentWorkflowRules(name, doc));

  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isObject(job)) continue;
    const where = `${name} jobs.${jobId}`;
    // A job that calls a reusable workflow takes its timeouts from that workflow.
    if (!("uses" in job) && !("timeout-minutes" in job)) out.push({ rule: "timeout", where, message: "job has no timeout-minutes" });
    if (typeof job.uses === "string") out.push(...checkUses(where, job.uses));
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step, index) => {
      if (!isObject(step)) return;
      const at = `${where}.steps[${index}]${typeof step.name === "string" ? ` (${step.name})` : ""}`;
      if (typeof step.run === "string" && step.run.includes("${{")) {
        out.push({ rule: "run-expression", where: at, message: "`${{ }}` inside run: (pass values through env: instead)" });
      }
      if (typeof step.uses === "string") {
        out.push(...checkUses(at, step.uses));
        const withs = isObject(step.with) ? step.with : {};
        if (step.uses.startsWith("actions/checkout@") && withs["persist-credentials"] !== false) {
          out.push({ rule: "persist-credentials", where: at, message: "actions/checkout without persist-credentials: false" });
        }
      }
    });
  }
  return out;
}

function checkUses(where: string, uses: string): Violation[] {
  if (uses.startsWith("./") || PINNED.test(uses) || DOCKER_PINNED.test(uses)) return [];
  return [{ rule: "unpinned-action", where, message: `'${uses}' is not pinned to a full commit SHA` }];
}

/** Secrets the agent workflow may reference, and the only steps that may reference them. */
export const AGENT_SECRET_SCOPES: Record<string, RegExp> = {
  ANTHROPIC_API_KEY: /^Run the agent$/,
  OPENAI_API_KEY: /^Run the agent$/,
  CODEX_API_KEY: /^Run the agent$/,
  LLM_API_KEY: /^Run the agent$/,
  ARCHITECT_APP_ID: /^Mint a GitHub App token$/,
  ARCHITECT_APP_PRIVATE_KEY: /^Mint a GitHub App token$/,
};

const WRITE = /write/;

function agentWorkflowRules(name: string, doc: Json): Violation[] {
  const out: Violation[] = [];
  const concurrency = isObject(doc.concurrency) ? doc.concurrency : null;
  if (!concurrency || typeof concurrency.group !== "string" || !concurrency.group.includes("inputs.task") || concurrency["cancel-in-progress"] !== false) {
    out.push({ rule: "concurrency", where: name, message: "needs one concurrency group per task (inputs.task) with cancel-in-progress: false" });
  }
  if (!isObject(doc.permissions) || Object.keys(doc.permissions).length > 0) {
    out.push({ rule: "permissions", where: name, message: "agent workflow must start from permissions: {}" });
  }
  const secretRefs = /secrets\.([A-Za-z0-9_]+)/g;
  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isObject(job)) continue;
    const steps = Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
    const runsAgent = steps.some((s) => s.name === "Run the agent");
    if (runsAgent && isObject(job.permissions) && Object.values(job.permissions).some((v) => WRITE.test(String(v)))) {
      out.push({ rule: "permissions", where: `${name} jobs.${jobId}`, message: "the job that runs the agent must not have write permissions" });
    }
    for (const step of steps) {
      const stepName = typeof step.name === "string" ? step.name : "(unnamed)";
      for (const match of JSON.stringify(step).matchAll(secretRefs)) {
        const secret = match[1] ?? "";
        const scope = AGENT_SECRET_SCOPES[secret];
        if (!scope || !scope.test(stepName)) {
          out.push({ rule: "secrets", where: `${name} jobs.${jobId} step '${stepName}'`, message: `secrets.${secret} is not allowed in this step` });
        }
      }
    }
    const jobLevel = JSON.stringify({ ...job, steps: undefined });
    for (const match of jobLevel.matchAll(secretRefs)) {
      out.push({ rule: "secrets", where: `${name} jobs.${jobId}`, message: `secrets.${match[1]} must not be set for the whole job` });
    }
  }
  for (const match of JSON.stringify({ ...doc, jobs: undefined }).matchAll(secretRefs)) {
    out.push({ rule: "secrets", where: name, message: `secrets.${match[1]} must not be set for the whole workflow` });
  }
  return out;
}
