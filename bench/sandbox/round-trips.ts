import type { RequestLogEntry } from "../../src/sandbox/emulator/request-log.js";
import type { StackRunResult } from "./stack-run.js";
import { sequentialRoundTrips } from "./stats.js";

/**
 * Sequential GitHub round trips from "dependency merged" to "dependent dispatched", on a
 * chain milestone where nothing else is going on. For each merge: find the app's merge
 * request (the first merge-capable request answered after the world saw the merge), then
 * the next workflow dispatch; every app request after the merge up to and including that
 * dispatch is on the path. Requests in flight together count once. DESIGN.md budgets 3.
 */
export interface MergeToDispatch {
  pull: number;
  /** App requests between the merge and the dispatch, the dispatch included. */
  requests: number;
  /** The same, with overlapping requests counted once. */
  roundTrips: number;
  /** Endpoints in order, for reading the path. */
  path: string[];
  /** Sandbox milliseconds from the merge request's arrival to the dispatch's. */
  sandboxMs: number;
}

const DISPATCH = /\/actions\/workflows\/\{workflow_id\}\/dispatches$/;
const MERGE_CAPABLE = (e: RequestLogEntry) => e.endpoint === "POST /graphql (mutation)" || /\/pulls\/\{pull_number\}\/merge$/.test(e.endpoint);

export function mergeToDispatch(result: StackRunResult): MergeToDispatch[] {
  const { allRequests: allEntries, bot } = result;
  const out: MergeToDispatch[] = [];
  for (const merge of result.merges) {
    const mergeIndex = allEntries.findIndex((e, i) => i >= merge.logLength && MERGE_CAPABLE(e));
    if (mergeIndex < 0) continue;
    const dispatchIndex = allEntries.findIndex((e, i) => i > mergeIndex && e.actor === bot && DISPATCH.test(e.endpoint));
    if (dispatchIndex < 0) continue; // the last task of the chain has no dependent
    const window = allEntries.slice(mergeIndex + 1, dispatchIndex + 1).filter((e) => e.actor === bot || e.actor === null);
    const mergeEntry = allEntries[mergeIndex] as RequestLogEntry;
    const dispatchEntry = allEntries[dispatchIndex] as RequestLogEntry;
    out.push({
      pull: merge.pull,
      requests: window.length,
      roundTrips: sequentialRoundTrips(window, result.speed),
      path: window.map((e) => e.endpoint),
      sandboxMs: dispatchEntry.at - mergeEntry.at,
    });
  }
  return out;
}
