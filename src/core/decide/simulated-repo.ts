import type { PlannedTask } from "../plan/plan-schema.js";
import { decodeMarker } from "../markers/markers.js";
import { parseRunTitle } from "../markers/run-title.js";
import type { Effect } from "./effects.js";
import type { Snapshot, StatusRecord, TaskFacts } from "./snapshot.js";
import { dagCheck, makeControl, makeIssue, makeSnapshot } from "./test-builders.js";

/**
 * A tiny in-memory repository that decide's effects are applied to, pass after pass, so
 * the simulation tests and the makespan benchmark drive the real decide to the end of a
 * milestone without GitHub. It models only what moves the graph (task issues, labels,
 * dependency links, claim branches, runs, the `architect/dag` check, merges); agents, CI
 * and what counts as a surprise are the caller's, because each use needs different ones.
 */
export class SimulatedRepo {
  tasks: TaskFacts[] = [];
  labels: Record<string, string> = {};
  status: StatusRecord = { dispatches: {} };
  /** Issue #1 is the milestone; tasks are numbered from 2 in creation order. */
  private nextIssue = 2;

  constructor(
    readonly plan: PlannedTask[],
    public now: number,
  ) {}

  /** What decide reads on a reconcile now (a copy: decide must not see later writes). */
  snapshot(): Snapshot {
    return makeSnapshot({ controlValue: makeControl(this.plan), tasks: structuredClone(this.tasks), repoLabels: { ...this.labels }, dispatches: this.status.dispatches });
  }

  /** The task whose issue is number `n`. */
  task(n: number): TaskFacts {
    return this.tasks.find((t) => t.issue.number === n) as TaskFacts;
  }

  /**
   * Applies an effect that changes the graph; returns false, changing nothing, for any
   * other kind (status comments, closing issues…), which the caller ignores or rejects.
   */
  apply(e: Effect): boolean {
    switch (e.kind) {
      case "createLabels":
        for (const l of e.labels) this.labels[l.name] = `LA_${l.name}`;
        return true;
      case "createTask": {
        const marker = decodeMarker("task", e.body);
        if (!marker) throw new Error("decide created a task without a valid marker");
        const n = this.nextIssue++;
        this.tasks.push({ issue: makeIssue(n, { title: e.title, body: e.body, labels: e.labels }), marker, blockedBy: [], branch: null, pull: null, runs: [] });
        return true;
      }
      case "linkBlockedBy":
        this.task(e.task).blockedBy.push(e.blocker);
        return true;
      case "setLabels": {
        const t = this.task(e.issue);
        t.issue.labels = [...t.issue.labels.filter((l) => !e.remove.includes(l)), ...e.add];
        return true;
      }
      case "dispatch": {
        const t = this.task(e.task);
        if (e.claim) t.branch = { name: e.claim.branch, sha: e.claim.sha };
        const key = parseRunTitle(e.runTitle);
        if (!key) throw new Error(`unparseable run title ${e.runTitle}`);
        t.runs.push({ id: t.runs.length + 1, key, status: "queued", conclusion: null, createdAt: this.now, updatedAt: this.now, url: "" });
        return true;
      }
      case "setDagCheck": {
        const pull = this.task(e.task).pull as NonNullable<TaskFacts["pull"]>;
        pull.checks = [...pull.checks.filter((c) => c.name !== "architect/dag"), dagCheck(e.status === "success" ? "success" : "pending", e.title)];
        return true;
      }
      case "merge": {
        const t = this.task(e.task);
        (t.pull as NonNullable<TaskFacts["pull"]>).state = "merged";
        t.issue.state = "closed"; // "Closes #n"
        t.issue.stateReason = "completed";
        return true;
      }
      case "deleteBranch": {
        // The PR is found through its branch: with the branch gone the snapshot shows neither.
        const t = this.task(e.task);
        t.branch = null;
        t.pull = null;
        return true;
      }
      default:
        return false;
    }
  }
}
