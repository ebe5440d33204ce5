import { encodeMarker } from "../../src/core/markers/markers.js";
import type { MilestoneControl, TaskMarker } from "../../src/core/decide/snapshot.js";
import type { PlannedTask } from "../../src/core/plan/plan-schema.js";

/**
 * GitHub-shaped GraphQL answers for gateway tests, built from small pieces so each test
 * states only what it is about. Shapes follow GitHub's schema (UPPERCASE enums, ISO
 * dates, Bot logins without `[bot]`).
 */

export const MILESTONE = 10;
export const BOT = "architect[bot]";

export function taskMarker(key: string, overrides: Partial<TaskMarker> = {}): string {
  return encodeMarker("task", { milestone: MILESTONE, planId: "p1", key, dependsOn: [], agent: "claude", scope: [], estimate: 1, ...overrides });
}

export function plannedTask(key: string): PlannedTask {
  return { key, title: key, body: "", acceptance: [], depends_on: [], agent: "claude", agent_reason: "", labels: [], scope: [], estimate: 1 };
}

export function controlMarker(keys: string[]): string {
  const control: MilestoneControl = {
    planId: "p1",
    plan: { rationale: "", tasks: keys.map(plannedTask) },
    requestedBy: "alice",
    approvedBy: "alice",
    paused: false,
    budgetApprovedUsd: 0,
    usage: [],
    retryGrants: {},
    removedKeys: [],
    handledCommands: [],
  };
  return encodeMarker("control", control);
}

export function gqlIssue(number: number, body: string, extra: Record<string, unknown> = {}) {
  return {
    id: `I_${number}`,
    databaseId: 5000 + number,
    number,
    title: `Issue ${number}`,
    body,
    state: "OPEN",
    stateReason: null,
    author: { __typename: "User", login: "alice" },
    labels: { nodes: [] as { name: string }[] },
    ...extra,
  };
}

export function gqlComment(id: number, body: string, author: { __typename: string; login: string }, at = "2026-01-01T00:00:00Z") {
  return { id: `IC_${id}`, databaseId: id, body, createdAt: at, updatedAt: at, author };
}

export function gqlPull(number: number, head: string, extra: Record<string, unknown> = {}) {
  return {
    id: `PR_${number}`,
    number,
    state: "OPEN",
    merged: false,
    isDraft: false,
    headRefName: head,
    headRefOid: "h".repeat(40),
    baseRefName: "main",
    mergeable: "MERGEABLE",
    createdAt: "2026-01-01T01:00:00Z",
    author: { __typename: "Bot", login: "architect" },
    autoMergeRequest: null,
    reviews: { nodes: [] as unknown[] },
    commits: { nodes: [{ commit: { oid: "h".repeat(40), statusCheckRollup: null as unknown } }] },
    ...extra,
  };
}

export function snapshotData(parts: {
  subIssues?: unknown[];
  comments?: unknown[];
  refs?: unknown[];
  runningCount?: number;
  milestoneTypename?: "Issue" | "PullRequest";
}) {
  const milestone =
    parts.milestoneTypename === "PullRequest"
      ? { __typename: "PullRequest" }
      : {
          __typename: "Issue",
          ...gqlIssue(MILESTONE, "the milestone"),
          firstComments: { nodes: (parts.comments ?? []).slice(0, 10) },
          comments: { nodes: parts.comments ?? [] },
          subIssues: { nodes: parts.subIssues ?? [] },
        };
  return {
    data: {
      repository: {
        id: "R_1",
        defaultBranchRef: { name: "main", target: { oid: "m".repeat(40) } },
        labels: { nodes: [{ id: "LA_1", name: "architect:running" }, { id: "LA_2", name: "architect:ready" }] },
        issueOrPullRequest: milestone,
        refs: { nodes: parts.refs ?? [] },
      },
      search: { issueCount: parts.runningCount ?? 0 },
    },
  };
}
