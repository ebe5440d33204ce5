import type { ArchitectConfig } from "../core/config/config-schema.js";
import { decide } from "../core/decide/decide.js";
import { afterOwnWrites } from "../core/decide/own-writes.js";
import { actsOnRunOutcome, STRUCTURAL_EFFECTS, type Decision, type Effect } from "../core/decide/effects.js";
import type { Snapshot } from "../core/decide/snapshot.js";
import type { GitHubGateway } from "../github/gateway.js";
import type { Clock } from "../shared/clock.js";
import { ATTR, inSpan } from "../observability/tracing.js";
import { applyEffects, type ApplyOutcome } from "./apply-effects.js";
import type { Logger } from "./logger.js";
import { renderStatusBody } from "./status.js";

/** After a write whose outcome is unknown, read again this soon (clock time) before any further write. */
export const RELOOK_AFTER_AMBIGUOUS_MS = 30_000;
/** After a write that failed outright (rate limit retries spent, a 4xx): slower, so a lasting refusal is no tight loop. */
export const RELOOK_AFTER_FAILURE_MS = 120_000;

export interface ReconcileEnv {
  gateway: GitHubGateway;
  config: ArchitectConfig;
  clock: Clock;
  log: Logger;
  botLogin: string;
  /** Bound on look → decide → write passes per reconcile (a merge unblocks dependents in the same reconcile). */
  maxPasses?: number;
  /** True when another reconcile of this milestone is already due right after this one. */
  looksAgain?: () => boolean;
  /** Told after each pass (metrics, the dashboard): its effects and what applying them did. */
  onPass?: (info: { pass: number; durationMs: number; effects: readonly Effect[]; outcome: ApplyOutcome | null }) => void;
}

export interface ReconcileReport {
  milestone: number;
  /** When the first read of this reconcile began: everything GitHub had done by then was seen. */
  readFrom: number | null;
  /** The last pass had nothing structural left to do (false when the pass limit cut it short). */
  settled: boolean;
  passes: number;
  applied: number;
  failures: string[];
  /** When to look again even without webhooks (backoff, stall and grace deadlines). */
  wakeAt: number | null;
  decision: Decision | null;
  snapshot: Snapshot | null;
}

/**
 * Level-triggered reconcile of one milestone: read the world, decide, write, and repeat
 * while the writes changed something decide reads. Nothing here looks at webhook
 * payloads, so duplicate, late, lost and reordered deliveries all converge. Run twice on
 * an unchanged world, the second run writes nothing.
 */
export async function reconcileMilestone(env: ReconcileEnv, milestone: number): Promise<ReconcileReport> {
  const report: ReconcileReport = { milestone, readFrom: null, settled: false, passes: 0, applied: 0, failures: [], wakeAt: null, decision: null, snapshot: null };
  const maxPasses = env.maxPasses ?? 4;
  // After a pass of merges, closes and labels that all landed, the next pass decides on
  // the world as those writes left it instead of reading it again (see afterOwnWrites).
  let known: Snapshot | null = null;
  const load = (freshRuns: boolean) =>
    inSpan("snapshot", { attributes: { [ATTR.milestone]: milestone } }, () =>
      env.gateway.loadSnapshot(milestone, { botLogin: env.botLogin, includeRuns: "auto", ...(freshRuns ? { freshRuns: true } : {}) }),
    );
  const decideIn = (snapshot: Snapshot) =>
    inSpan("decide", { attributes: { [ATTR.milestone]: milestone } }, (span) => {
      const decision = decide(snapshot, env.config, env.clock.now());
      span.setAttribute(ATTR.effects, decision.effects.length);
      return decision;
    });
  for (let pass = 1; pass <= maxPasses; pass += 1) {
    const passStarted = performance.now();
    let snapshot = known ?? (await load(false));
    known = null;
    if (!snapshot || !isArchitectMilestone(snapshot)) return report;
    report.readFrom ??= snapshot.observedAt ?? null;
    let decision = await decideIn(snapshot);
    if (snapshot.runsFromLedger && decision.effects.some(actsOnRunOutcome)) {
      // The runs came from webhooks, and one may have been lost: act on a run's outcome
      // only as GitHub lists it now.
      snapshot = await load(true);
      if (!snapshot || !isArchitectMilestone(snapshot)) return report;
      decision = await decideIn(snapshot);
    }
    report.passes = pass;
    report.decision = decision;
    report.snapshot = snapshot;
    report.wakeAt = decision.wakeAt;

    const structural = decision.effects.some((e) => STRUCTURAL_EFFECTS.has(e.kind));
    const lastPass = !structural || pass === maxPasses;
    report.settled = !structural;
    if (structural && pass === maxPasses) {
      // Cut short: look again on our own (no webhook may come), at a pace that bounds a loop.
      report.wakeAt = Math.min(report.wakeAt ?? Number.POSITIVE_INFINITY, env.clock.now() + RELOOK_AFTER_AMBIGUOUS_MS);
    }
    // The status comment is written once, on the pass that settles, inside the same batch.
    const status = lastPass ? statusEffect(snapshot, decision, env.config) : [];
    // A status edit alone waits for the look already due next, which renders it afresh.
    const alone = decision.effects.length === 0 && status.length > 0 && (env.looksAgain?.() ?? false);
    const effects: Effect[] = alone ? [] : [...decision.effects, ...status];
    if (effects.length === 0) {
      env.onPass?.({ pass, durationMs: performance.now() - passStarted, effects, outcome: null });
      return report;
    }

    const applied = snapshot;
    const outcome = await inSpan("apply", { attributes: { [ATTR.milestone]: milestone, [ATTR.pass]: pass, [ATTR.effects]: effects.length } }, () =>
      applyEffects(env.gateway, applied, effects, env.log),
    );
    env.onPass?.({ pass, durationMs: performance.now() - passStarted, effects, outcome });
    report.applied += outcome.applied;
    report.failures.push(...outcome.failures);
    if (outcome.failures.length > 0) {
      // The App's own writes wake no webhook for it, so nothing else would trigger the re-read.
      const relook = outcome.ambiguous ? RELOOK_AFTER_AMBIGUOUS_MS : RELOOK_AFTER_FAILURE_MS;
      report.wakeAt = Math.min(report.wakeAt ?? Number.POSITIVE_INFINITY, env.clock.now() + relook);
    }
    if (outcome.ambiguous || lastPass) return report;
    if (outcome.failures.length === 0) known = afterOwnWrites(snapshot, effects, outcome);
  }
  return report;
}

/** Only issues Architect has planned (or was asked to run) get a status comment. */
function isArchitectMilestone(snapshot: Snapshot): boolean {
  return snapshot.control !== null || snapshot.tasks.length > 0 || snapshot.status !== null;
}

function statusEffect(snapshot: Snapshot, decision: Decision, config: ArchitectConfig): Effect[] {
  const body = renderStatusBody(snapshot, decision, config);
  if (snapshot.status && snapshot.status.body === body) return [];
  return [{ kind: "upsertStatusComment", commentNodeId: snapshot.status?.nodeId ?? null, body }];
}
