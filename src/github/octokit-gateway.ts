import type { z } from "zod";
import type { Octokit } from "@octokit/core";
import type { BranchProtectionFacts, CommentRef, RunFacts, Snapshot } from "../core/decide/snapshot.js";
import type { LabelSpec } from "../core/decide/effects.js";
import type { Clock } from "../shared/clock.js";
import { decodeMarker } from "../core/markers/markers.js";
import { MILESTONE_LABEL, STATE_LABELS } from "../shared/labels.js";
import {
  ClaimRefsResponse,
  IssueWithCommentsResponse,
  LabelsResponse,
  RepoContextResponse,
  RestBranchRules,
  RestProtection,
  RestRuleParameters,
  RestRun,
  SnapshotResponse,
} from "./api-schemas.js";
import { chunkByWeight, opMutations, opResult, type GqlError } from "./batch-ops.js";
import type {
  BatchOp,
  BatchResult,
  CommentFacts,
  CreatedIssue,
  GitHubGateway,
  NewSubIssue,
  Permission,
  RepoContext,
} from "./gateway.js";
import {
  CLAIM_REFS_QUERY,
  FIND_PARENT_QUERY,
  LABELS_QUERY,
  ISSUE_WITH_COMMENTS_QUERY,
  MUTATIONS_PER_DOCUMENT,
  REPO_CONTEXT_QUERY,
  REPO_ID_QUERY,
  SNAPSHOT_QUERY,
  buildMutationDocument,
  mutation,
  runningSearchQuery,
  type AliasedMutation,
} from "./queries.js";
import type { RunLedger } from "./run-ledger.js";
import { buildSnapshot, findRecord, mapComment, mapIssue, mapRun, mergeComments, needsRuns } from "./snapshot-mapper.js";

/**
 * GitHubGateway over an Octokit instance (Probot's installation client). Everything goes
 * through `octokit.request`, REST and `POST /graphql` alike, so the HTTP policy hook sees
 * every call and GraphQL's partial answers (`data` next to `errors`) reach us intact.
 */

/** Minimal logger; the app's Logger and Probot's pino fit. */
export interface GatewayLog {
  debug(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

export interface OctokitGatewayOptions {
  octokit: Pick<Octokit, "request">;
  owner: string;
  repo: string;
  clock: Clock;
  log?: GatewayLog;
  /** How long branch protection is trusted before it is read again. */
  protectionTtlMs?: number;
  /**
   * Share one cache across gateway instances (the app builds a gateway per reconcile);
   * without it the cache lives as long as this gateway.
   */
  protectionCache?: ProtectionCache;
  /** Workflow runs known from webhooks and earlier lists (shared across gateway instances); without it every snapshot lists runs. */
  runLedger?: RunLedger;
}

/** Branch protection answers by `owner/repo:branch`, with the time they were read. */
export type ProtectionCache = Map<string, { at: number; value: BranchProtectionFacts | null }>;

/** Protection rarely changes; reading it once per few minutes keeps snapshots at one or two requests. */
const DEFAULT_PROTECTION_TTL_MS = 5 * 60_000;

/** REST's largest page (`per_page` max 100, github-platform.md §1); a short page is the last. */
const RUNS_PER_PAGE = 100;
/** Runs are listed from a minute before the milestone's plan: the filter's whole seconds and clock skew. */
const RUNS_SINCE_MARGIN_MS = 60_000;

/** Mutations per document for label/close/check/merge batches (cheap, so more per request than creates). */
const BATCH_MUTATIONS_PER_DOCUMENT = 25;

const PERMISSIONS = new Set<Permission>(["admin", "maintain", "write", "triage", "read", "none"]);

interface GraphqlAnswer {
  data: Record<string, unknown> | null;
  errors: GqlError[];
}

interface HttpError {
  status?: number;
  message?: string;
  response?: { data?: unknown };
}

/** Build the gateway for one repository. */
export function createOctokitGateway(options: OctokitGatewayOptions): GitHubGateway {
  const { octokit, owner, repo, clock, log } = options;
  const ttl = options.protectionTtlMs ?? DEFAULT_PROTECTION_TTL_MS;
  const protectionCache: ProtectionCache = options.protectionCache ?? new Map();
  let repoNodeId: string | null = null;

  async function graphql(query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer> {
    const response = await octokit.request("POST /graphql", { query, variables });
    const body = (response.data ?? {}) as { data?: Record<string, unknown> | null; errors?: GqlError[] };
    return { data: body.data ?? null, errors: body.errors ?? [] };
  }

  /** A query whose errors are not expected: any error fails the read (fail closed). */
  async function query(document: string, variables: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
    const answer = await graphql(document, { owner, name: repo, ...variables });
    if (answer.errors.length > 0 || !answer.data) {
      throw new Error(`GitHub GraphQL ${what} failed: ${answer.errors.map((e) => e.message).join("; ") || "no data"}`);
    }
    return answer.data;
  }

  async function repositoryId(): Promise<string> {
    if (repoNodeId) return repoNodeId;
    const data = await query(REPO_ID_QUERY, {}, "repository id");
    repoNodeId = (data.repository as { id: string }).id;
    return repoNodeId;
  }

  /**
   * Every dispatched run created at or after `since` that carries an Architect run key,
   * page after page (REST lists give at most 100 a page, newest first; a busy repository's
   * other workflows can fill the first pages). Runs created while paging push older ones
   * down a page, so a run may come twice (kept once) but none is skipped.
   */
  async function listRuns(since: number): Promise<RunFacts[]> {
    const byId = new Map<number, RunFacts>();
    const created = Number.isFinite(since) ? { created: `>=${new Date(since).toISOString().replace(/\.\d{3}Z$/, "Z")}` } : {};
    for (let page = 1; ; page += 1) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/actions/runs", {
        owner,
        repo,
        event: "workflow_dispatch",
        ...created,
        per_page: RUNS_PER_PAGE,
        page,
      });
      const listed = (data as { workflow_runs?: unknown[] }).workflow_runs ?? [];
      for (const raw of listed) {
        const parsed = RestRun.safeParse(raw);
        const run = parsed.success ? mapRun(parsed.data) : null;
        if (run) byId.set(run.id, run);
      }
      if (listed.length < RUNS_PER_PAGE) return [...byId.values()];
    }
  }

  /** A milestone's runs: from the ledger while it can vouch for them, else listed (which primes it). */
  async function runsOf(milestone: number, fresh: boolean, since: number): Promise<{ runs: RunFacts[]; fromLedger: boolean }> {
    const ledger = options.runLedger;
    const ledgerKey = `${owner}/${repo}`;
    // A milestone's runs are all dispatched after its plan was stored (or the issue opened).
    const known = ledger && !fresh ? await ledger.runs(ledgerKey, { createdSince: since }) : null;
    let all = known;
    if (all === null) {
      const listedAt = clock.now();
      // GitHub's `created` filter has whole seconds; a minute's margin covers that and skew.
      const listedSince = since - RUNS_SINCE_MARGIN_MS;
      const listed = await listRuns(listedSince);
      await ledger?.primed(ledgerKey, listed, listedAt, listedSince);
      // Webhooks that landed while the list was in flight may be newer than it.
      all = (ledger ? await ledger.runs(ledgerKey, { createdSince: since }) : null) ?? listed;
    }
    // buildSnapshot orders each task's runs; here they are only narrowed to the milestone.
    return { runs: all.filter((r) => r.key.milestone === milestone), fromLedger: known !== null };
  }

  /** The snapshot's claim refs and labels past their first page, appended to its answer. */
  async function readRemainingPages(data: SnapshotResponse): Promise<void> {
    const repository = data.repository;
    if (!repository) return;
    for (let page = repository.refs?.pageInfo; page?.hasNextPage && page.endCursor; ) {
      const more = ClaimRefsResponse.parse(await query(CLAIM_REFS_QUERY, { after: page.endCursor }, "claim refs")).repository?.refs;
      repository.refs?.nodes.push(...(more?.nodes ?? []));
      page = more?.pageInfo;
    }
    for (let page = repository.labels?.pageInfo; page?.hasNextPage && page.endCursor; ) {
      const more = LabelsResponse.parse(await query(LABELS_QUERY, { after: page.endCursor }, "labels")).repository?.labels;
      repository.labels?.nodes.push(...(more?.nodes ?? []));
      page = more?.pageInfo;
    }
  }

  /** Run aliased mutation documents, one chunk at a time; an ambiguous failure stops at once. */
  async function mutate(name: string, groups: AliasedMutation[][], perDocument: number): Promise<BatchResult[]> {
    const results: BatchResult[] = new Array(groups.length);
    const indexed = groups.map((group, i) => ({ group, i }));
    for (const chunk of chunkByWeight(indexed, (g) => Math.max(1, g.group.length), perDocument)) {
      const sendable = chunk.filter((c) => c.group.length > 0);
      for (const c of chunk) if (c.group.length === 0) results[c.i] = { ok: true };
      if (sendable.length === 0) continue;
      const doc = buildMutationDocument(name, sendable.flatMap((c) => c.group));
      let answer: GraphqlAnswer;
      try {
        answer = await graphql(doc.query, doc.variables);
      } catch (error) {
        const status = (error as HttpError).status;
        // 4xx means GitHub refused the whole document without running it: a definite failure.
        if (status !== undefined && status >= 400 && status < 500) {
          for (const c of sendable) results[c.i] = { ok: false, message: (error as Error).message };
          continue;
        }
        throw error;
      }
      for (const c of sendable) {
        const result = opResult(c.group.map((m) => m.alias), answer.data, answer.errors);
        const merge = c.group.find((m) => m.field === "mergePullRequest");
        const oid = merge ? (answer.data?.[merge.alias] as { pullRequest?: { mergeCommit?: { oid?: string } | null } } | null)?.pullRequest?.mergeCommit?.oid : undefined;
        results[c.i] = result.ok && oid ? { ok: true, mergeCommitSha: oid } : result;
      }
    }
    return results;
  }


  /** Classic protection: the facts, "none" when the branch has none (404), null when unreadable (403). */
  async function readClassicProtection(branch: string): Promise<ClassicProtection | "none" | null> {
    try {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/branches/{branch}/protection", { owner, repo, branch });
      const parsed = RestProtection.parse(data);
      const checks = parsed.required_status_checks;
      const pinned = (checks?.checks ?? []).find((c) => c.context === "architect/dag");
      return {
        requiredChecks: [...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map((c) => c.context)])],
        requiredApprovals: parsed.required_pull_request_reviews?.required_approving_review_count ?? 0,
        strict: checks?.strict ?? false,
        dagCheckApp: pinned ? (pinned.app_id ?? null) : undefined,
      };
    } catch (error) {
      const status = (error as HttpError).status;
      if (status === 404) return "none";
      if (status === 403) {
        // Reported as unknown (the App lacks Administration: read), never assumed absent.
        log?.warn({ branch }, "cannot read branch protection");
        return null;
      }
      throw error;
    }
  }

  /** The active ruleset rules for a branch (readable with metadata alone); [] when rulesets are unavailable. */
  async function readBranchRules(branch: string): Promise<BranchRule[]> {
    try {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/rules/branches/{branch}", { owner, repo, branch, per_page: 100 });
      return RestBranchRules.parse(data).map((rule) => ({ type: rule.type, parameters: RestRuleParameters.parse(rule.parameters ?? {}) }));
    } catch (error) {
      const status = (error as HttpError).status;
      if (status === 404 || status === 403) {
        log?.warn({ branch, status }, "cannot read branch rules");
        return [];
      }
      throw error;
    }
  }

  async function readPermission(login: string): Promise<Permission> {
    try {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { owner, repo, username: login });
      const answer = data as { permission?: string; role_name?: string };
      // `permission` folds maintain into write and triage into read; `role_name` keeps them.
      const role = answer.role_name as Permission | undefined;
      if (role && PERMISSIONS.has(role)) return role;
      const permission = answer.permission as Permission | undefined;
      if (permission && PERMISSIONS.has(permission)) return permission;
      throw new Error(`unexpected permission answer for ${login}`);
    } catch (error) {
      if ((error as HttpError).status === 404) return "none";
      throw error;
    }
  }

  /** The snapshot query, mapped; with the milestone's comments for a command's thread. */
  async function readSnapshot(
    milestone: number,
    { botLogin, includeRuns, freshRuns = false }: { botLogin: string; includeRuns: "auto" | "always"; freshRuns?: boolean },
  ): Promise<{ snapshot: Snapshot; comments: CommentFacts[] } | null> {
    // Runs are listed after this read: decide needs to know which ones finished after it.
    const observedAt = clock.now();
    const raw = await query(SNAPSHOT_QUERY, { number: milestone, runningQuery: runningSearchQuery(owner, repo, STATE_LABELS.running.name) }, "snapshot");
    const data = SnapshotResponse.parse(raw);
    const issue = data.repository?.issueOrPullRequest;
    if (!data.repository || issue?.__typename !== "Issue") return null;
    await readRemainingPages(data);
    repoNodeId = data.repository.id;
    const defaultBranch = data.repository.defaultBranchRef?.name;
    const protection = defaultBranch ? await gateway.getBranchProtection(defaultBranch) : null;
    const comments = mergeComments(issue.firstComments.nodes, issue.comments.nodes);
    const wanted = includeRuns === "always" || needsRuns(data, milestone);
    const since = plannedAt(comments, botLogin) ?? (issue.createdAt ? Date.parse(issue.createdAt) : Number.NEGATIVE_INFINITY);
    const { runs, fromLedger } = wanted ? await runsOf(milestone, freshRuns, since) : { runs: [], fromLedger: false };
    const snapshot = buildSnapshot(data, { owner, repo, milestone, botLogin, protection, runs });
    if (!snapshot) return null;
    return { snapshot: { ...snapshot, observedAt, ...(fromLedger ? { runsFromLedger: true } : {}) }, comments };
  }

  const permissions = new Map<string, Promise<Permission>>();
  const gateway: GitHubGateway = {
    owner,
    repo,

    async loadSnapshot(milestone, options): Promise<Snapshot | null> {
      return (await readSnapshot(milestone, options))?.snapshot ?? null;
    },

    async loadThread(issue, { botLogin }) {
      const read = await readSnapshot(issue, { botLogin, includeRuns: "auto" });
      return read && { issue: read.snapshot.milestone, comments: read.comments, snapshot: read.snapshot };
    },

    async listOpenMilestones() {
      const numbers = new Set<number>();
      for (let page = 1; ; page += 1) {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
          owner,
          repo,
          labels: MILESTONE_LABEL,
          state: "open",
          per_page: RUNS_PER_PAGE,
          page,
        });
        const listed = data as { number: number; pull_request?: unknown }[];
        for (const issue of listed) if (!issue.pull_request) numbers.add(issue.number);
        if (listed.length < RUNS_PER_PAGE) return [...numbers];
      }
    },

    async findParent(issue) {
      const data = await query(FIND_PARENT_QUERY, { number: issue }, "parent");
      const node = (data.repository as { issueOrPullRequest?: { parent?: { number: number } | null } | null } | null)?.issueOrPullRequest;
      return node?.parent?.number ?? null;
    },

    async getIssueWithComments(issue) {
      const data = IssueWithCommentsResponse.parse(await query(ISSUE_WITH_COMMENTS_QUERY, { number: issue }, "issue"));
      const node = data.repository?.issueOrPullRequest;
      if (!node || node.__typename !== "Issue") return null;
      const comments: CommentFacts[] = node.comments.nodes.map(mapComment).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
      return { issue: mapIssue(node), comments };
    },

    async getPermission(login) {
      // One gateway serves one command or reconcile: a permission asked twice in it is asked once.
      const known = permissions.get(login);
      if (known) return known;
      const answer = readPermission(login);
      permissions.set(login, answer);
      answer.catch(() => permissions.delete(login));
      return answer;
    },

    async readFile(path) {
      try {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path });
        const file = data as { type?: string; encoding?: string; content?: string };
        if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") return null;
        return file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
      } catch (error) {
        if ((error as HttpError).status === 404) return null;
        throw error;
      }
    },

    async getRepoContext(): Promise<RepoContext> {
      const data = RepoContextResponse.parse(await query(REPO_CONTEXT_QUERY, {}, "repository context"));
      const r = data.repository;
      const files: string[] = [];
      for (const entry of r.tree?.entries ?? []) {
        if (entry.type !== "tree") {
          files.push(entry.name);
          continue;
        }
        files.push(`${entry.name}/`);
        for (const child of entry.object?.entries ?? []) files.push(`${entry.name}/${child.name}${child.type === "tree" ? "/" : ""}`);
      }
      const readme = r.readme?.text ?? r.readmeLower?.text ?? "";
      return {
        defaultBranch: r.defaultBranchRef?.name ?? "main",
        files: files.slice(0, 500),
        readmeHead: readme.slice(0, 2000),
        labels: (r.labels?.nodes ?? []).map((l) => l.name),
      };
    },

    async getBranchProtection(branch) {
      const cacheKey = `${owner}/${repo}:${branch}`;
      const cached = protectionCache.get(cacheKey);
      if (cached && clock.now() - cached.at < ttl) return cached.value;
      const [classic, rules] = [await readClassicProtection(branch), await readBranchRules(branch)];
      const value = combineProtection(classic, rules);
      protectionCache.set(cacheKey, { at: clock.now(), value });
      return value;
    },

    async createLabels(labels: LabelSpec[]) {
      if (labels.length === 0) return {};
      const repoId = await repositoryId();
      const mutations = labels.map((label, i) => mutation(`l${i}`, "createLabel", { repositoryId: repoId, name: label.name, color: label.color, description: label.description }));
      const doc = buildMutationDocument("ArchitectCreateLabels", mutations);
      // Creating a label twice fails and changes nothing, so a resend after any failure is safe.
      const answer = await graphql(doc.query, doc.variables);
      const refused = answer.errors.filter((e) => !/already (been taken|exists)/i.test(e.message));
      if (refused.length > 0) throw new Error(`creating labels failed: ${refused.map((e) => e.message).join("; ")}`);
      const ids: Record<string, string> = {};
      labels.forEach((label, i) => {
        const made = answer.data?.[`l${i}`] as { label?: { id?: string } } | null | undefined;
        if (made?.label?.id) ids[label.name] = made.label.id;
      });
      return ids;
    },

    async createSubIssues(parent, repoId, issues: NewSubIssue[]): Promise<CreatedIssue[]> {
      const created: CreatedIssue[] = [];
      const failed: string[] = [];
      for (let start = 0; start < issues.length; start += MUTATIONS_PER_DOCUMENT) {
        const chunk = issues.slice(start, start + MUTATIONS_PER_DOCUMENT);
        const mutations = chunk.map((issue, i) =>
          mutation(`c${i}`, "createIssue", { repositoryId: repoId, title: issue.title, body: issue.body, labelIds: issue.labelIds, parentIssueId: parent.nodeId }),
        );
        const doc = buildMutationDocument("ArchitectCreateTasks", mutations);
        // An ambiguous failure propagates: resending could create every issue twice.
        const answer = await graphql(doc.query, doc.variables);
        chunk.forEach((issue, i) => {
          const result = answer.data?.[`c${i}`] as { issue?: { id: string; databaseId: number; number: number } } | null | undefined;
          if (result?.issue) created.push({ key: issue.key, number: result.issue.number, id: result.issue.databaseId, nodeId: result.issue.id });
          else failed.push(issue.key);
        });
        if (answer.errors.length > 0) log?.warn({ errors: answer.errors.map((e) => e.message) }, "some sub-issues were not created");
      }
      if (failed.length > 0) throw new Error(`GitHub did not create the sub-issues for ${failed.join(", ")}`);
      return created;
    },

    async applyBatch(ops: BatchOp[]) {
      const needsRepo = ops.some((op) => op.kind === "createCheckRun" || op.kind === "updateCheckRun" || op.kind === "createRef");
      const repoId = needsRepo ? await repositoryId() : "";
      const groups = ops.map((op, i) => opMutations(op, i, repoId));
      return mutate("ArchitectBatch", groups, BATCH_MUTATIONS_PER_DOCUMENT);
    },

    async mergeInto(base, head) {
      try {
        const response = await octokit.request("POST /repos/{owner}/{repo}/merges", { owner, repo, base, head });
        // 201 made a merge commit; 204 means base already contains head.
        return (response.status as number) === 204 ? "up-to-date" : "merged";
      } catch (error) {
        if ((error as HttpError).status === 409) return "conflict";
        throw error;
      }
    },

    async dispatchWorkflow(workflow, ref, inputs) {
      const response = await octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
        owner,
        repo,
        workflow_id: workflow,
        ref,
        inputs,
        // Newer than the OpenAPI description Octokit ships; passed through as a body field.
        return_run_details: true,
      } as never);
      const runId = (response.data as { workflow_run_id?: unknown } | undefined)?.workflow_run_id;
      return { runId: response.status === 200 && typeof runId === "number" ? runId : null };
    },

    async cancelRun(runId) {
      try {
        await octokit.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel", { owner, repo, run_id: runId });
      } catch (error) {
        // 409: the run already finished, which is what cancelling wanted.
        if ((error as HttpError).status !== 409) throw error;
      }
    },

    async deleteBranch(branch) {
      try {
        // `ref` without the `refs/` prefix (github-platform.md §4, "Refs").
        await octokit.request("DELETE /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref: `heads/${branch}` });
      } catch (error) {
        // 422 "Reference does not exist" (github-platform.md §4): gone already, which is what deleting wanted.
        const status = (error as HttpError).status;
        if (status !== 422 && status !== 404) throw error;
      }
    },

    async assignCopilot(issueNodeId) {
      const data = await query(COPILOT_QUERY, {}, "copilot actor");
      const actors = ((data.repository as { suggestedActors?: { nodes?: { login: string; id?: string }[] } }).suggestedActors?.nodes ?? []);
      const copilot = actors.find((a) => /copilot/i.test(a.login) && a.id);
      if (!copilot?.id) throw new Error("Copilot coding agent is not available in this repository");
      const doc = buildMutationDocument("ArchitectAssignCopilot", [
        {
          alias: "a0",
          field: "replaceActorsForAssignable",
          inputType: "ReplaceActorsForAssignableInput",
          input: { assignableId: issueNodeId, actorIds: [copilot.id] },
          selection: "clientMutationId",
        },
      ]);
      const answer = await graphql(doc.query, doc.variables);
      if (answer.errors.length > 0) throw new Error(`assigning Copilot failed: ${answer.errors.map((e) => e.message).join("; ")}`);
    },

    async createComment(issue, body): Promise<CommentRef> {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: issue, body });
      const comment = data as { id: number; node_id: string; body?: string };
      return { id: comment.id, nodeId: comment.node_id, body: comment.body ?? body };
    },

  };
  return gateway;
}

interface ClassicProtection {
  requiredChecks: string[];
  requiredApprovals: number;
  strict: boolean;
  /** `app_id` of the required `architect/dag` check (null = any source); undefined when not required. */
  dagCheckApp: number | null | undefined;
}

type BranchRule = { type: string; parameters: z.infer<typeof RestRuleParameters> };

/**
 * Classic protection and rulesets together, as GitHub enforces them: every required check
 * of either, the larger approval count, strict when either asks, a merge queue when a
 * ruleset requires one. Null only when classic protection is unreadable and no rule applies.
 */
export function combineProtection(classic: ClassicProtection | "none" | null, rules: readonly BranchRule[]): BranchProtectionFacts | null {
  if (classic === null && rules.length === 0) return null;
  const base = classic === null || classic === "none" ? null : classic;
  const checks = new Set(base?.requiredChecks ?? []);
  let approvals = base?.requiredApprovals ?? 0;
  let strict = base?.strict ?? false;
  let mergeQueue = false;
  let rulesetDagApp: number | null | undefined;
  for (const rule of rules) {
    if (rule.type === "required_status_checks") {
      for (const check of rule.parameters.required_status_checks ?? []) {
        checks.add(check.context);
        if (check.context === "architect/dag") rulesetDagApp = check.integration_id ?? null;
      }
      if (rule.parameters.strict_required_status_checks_policy) strict = true;
    } else if (rule.type === "pull_request") approvals = Math.max(approvals, rule.parameters.required_approving_review_count ?? 0);
    else if (rule.type === "merge_queue") mergeQueue = true;
  }
  const sources: ("classic" | "rulesets")[] = [];
  if (base) sources.push("classic");
  if (rules.length > 0) sources.push("rulesets");
  const dagCheckApp: NonNullable<BranchProtectionFacts["dagCheckApp"]> = {};
  if (base?.dagCheckApp !== undefined) dagCheckApp.classic = base.dagCheckApp;
  if (rulesetDagApp !== undefined) dagCheckApp.rulesets = rulesetDagApp;
  return { enabled: sources.length > 0, requiredChecks: [...checks], requiredApprovals: approvals, strict, mergeQueue, sources, dagCheckApp };
}

/**
 * Copilot's actor id: GitHub lists it among the repository's assignable actors. Not in the
 * schema snapshot the emulator validates against, so the sandbox answers it with an error.
 */
const COPILOT_QUERY = `
query ArchitectCopilot($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    suggestedActors(capabilities: [CAN_BE_ASSIGNED], first: 20) { nodes { login ... on Bot { id } } }
  }
}`;

/** When the milestone's control record (its plan) was first stored; undefined without one. */
function plannedAt(comments: readonly CommentFacts[], botLogin: string): number | undefined {
  const record = findRecord([...comments], botLogin, (body) => decodeMarker("control", body));
  return record ? comments.find((c) => c.id === record.id)?.createdAt : undefined;
}
