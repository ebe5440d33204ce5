import type { ArchitectConfig } from "../core/config/config-schema.js";
import type { Decision } from "../core/decide/effects.js";
import type { Snapshot } from "../core/decide/snapshot.js";
import { encodeMarker } from "../core/markers/markers.js";
import { renderStatusComment, statusRowsFromSnapshot, statusWarnings } from "../core/render/status-comment.js";
import { milestoneSpend } from "../core/cost/spend.js";

/**
 * The milestone's sticky status comment: what people read (summary, warnings, Mermaid
 * graph, task table, cost) plus the dispatch record in its hidden marker. Rendering is
 * deterministic, so an unchanged world renders the same body and nothing is written.
 */
export function renderStatusBody(snapshot: Snapshot, decision: Decision, config: ArchitectConfig): string {
  const body = renderStatusComment({
    tasks: statusRowsFromSnapshot(snapshot, decision.states, config.prices),
    warnings: statusWarnings(snapshot, config),
    usage: snapshot.control?.value.usage ?? [],
    spend: milestoneSpend(snapshot, snapshot.control?.value ?? null, config.prices),
  });
  return `${body}\n\n${encodeMarker("status", { milestone: snapshot.milestone.number, dispatches: decision.statusRecord.dispatches })}`;
}
