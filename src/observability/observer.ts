import type { ApplyOutcome } from "../app/apply-effects.js";
import type { ReconcileReport } from "../app/reconcile.js";
import type { Effect } from "../core/decide/effects.js";
import type { RequestRecord } from "../github/http-policy.js";

/**
 * What the App tells its observers (metrics, the dashboard's view): plain facts at the
 * points where Architect already has them. Observers never write to GitHub and never throw
 * into the App (the App calls them through `safeObserver`).
 */
export type WebhookOutcome = "routed" | "ignored" | "refused";

export interface MilestoneRef {
  installationId: number;
  owner: string;
  repo: string;
  milestone: number;
}

export interface PassInfo {
  ref: MilestoneRef;
  pass: number;
  durationMs: number;
  effects: readonly Effect[];
  outcome: ApplyOutcome | null;
}

export interface ArchitectObserver {
  webhook?(event: { name: string; action?: string; delivery?: string; outcome: WebhookOutcome; reason?: string }): void;
  pass?(info: PassInfo): void;
  reconciled?(info: { ref: MilestoneRef; report: ReconcileReport; durationMs: number; at: number }): void;
  reconcileFailed?(info: { ref: MilestoneRef; error: unknown }): void;
  request?(record: RequestRecord): void;
  requestDone?(info: { kind: "read" | "write"; label: string; status: number; durationMs: number }): void;
  rateLimitWait?(ms: number): void;
}

/** Fan out to several observers; an observer that throws is ignored (observing never breaks the App). */
export function combineObservers(...observers: (ArchitectObserver | undefined)[]): Required<ArchitectObserver> {
  const list = observers.filter((o): o is ArchitectObserver => o !== undefined);
  const call = <K extends keyof ArchitectObserver>(name: K) =>
    ((...args: unknown[]) => {
      for (const observer of list) {
        try {
          (observer[name] as ((...a: unknown[]) => void) | undefined)?.(...args);
        } catch {
          // An observer's bug must not fail a reconcile.
        }
      }
    }) as Required<ArchitectObserver>[K];
  return {
    webhook: call("webhook"),
    pass: call("pass"),
    reconciled: call("reconciled"),
    reconcileFailed: call("reconcileFailed"),
    request: call("request"),
    requestDone: call("requestDone"),
    rateLimitWait: call("rateLimitWait"),
  };
}
