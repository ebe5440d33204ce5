import { z } from "zod";
import { Plan } from "../plan/plan-schema.js";
import { TaskKey } from "../plan/plan-schema.js";
import type { MilestoneControl, TaskMarker } from "../decide/snapshot.js";

/**
 * Hidden markers: `<!-- architect:<kind> v1 <base64url(JSON)> -->`.
 * They are how Architect finds what it created (idempotency) and keeps small records in
 * GitHub. Decoding never throws: anything missing, garbled, of another version or failing
 * its schema decodes to null, and callers treat null as "not ours / unknown".
 */

export const MARKER_VERSION = 1;

const TaskMarkerSchema = z.object({
  milestone: z.number().int().positive(),
  planId: z.string().max(64),
  key: TaskKey,
  dependsOn: z.array(TaskKey).max(50),
  agent: z.string().max(32),
  scope: z.array(z.string().max(200)).max(30),
  estimate: z.number().min(0).max(1000),
  requiredApprovals: z.number().int().min(0).max(6).optional(),
});

const ControlSchema = z.object({
  planId: z.string().max(64),
  plan: Plan,
  requestedBy: z.string().max(100),
  approvedBy: z.string().max(100).nullable(),
  paused: z.boolean(),
  budgetApprovedUsd: z.number().min(0),
  usage: z.array(
    z.object({
      provider: z.string(),
      model: z.string(),
      inputTokens: z.number().min(0),
      outputTokens: z.number().min(0),
      usd: z.number().min(0),
    }),
  ),
  retryGrants: z.record(z.string(), z.number().int().min(0)),
  removedKeys: z.array(z.string()),
  handledCommands: z.array(z.number().int()),
  sourceHash: z.string().max(128).optional(),
});

/** Marks the milestone's status comment and keeps the dispatch record (see StatusRecord). */
const StatusSchema = z.object({
  milestone: z.number().int().positive(),
  dispatches: z.record(z.string(), z.object({ seq: z.number().int().min(1), at: z.number(), resent: z.boolean().optional() })),
});

/** What one agent run cost, as its runner read it from the tool's usage report. */
export const RunCostSchema = z.object({
  runKey: z.string().max(100),
  tool: z.string().max(32),
  model: z.string().max(100),
  inputTokens: z.number().int().min(0).max(1e12),
  outputTokens: z.number().int().min(0).max(1e12),
  /** Dollars as the tool reported them; null when it reports tokens only (priced by `prices`). */
  usd: z.number().min(0).max(1e6).nullable(),
  seconds: z.number().min(0).max(1e7),
});
export type RunCost = z.infer<typeof RunCostSchema>;

/** Most run costs one PR body keeps (the oldest drop off first). */
export const MAX_RUN_COSTS = 30;

/**
 * Marks a PR opened by an agent run: which task and which run produced it, and what each
 * run that published to this PR cost (every run rewrites the body, so the list carries over).
 */
const RunSchema = z.object({
  task: z.number().int().positive(),
  runKey: z.string().max(100),
  costs: z.array(RunCostSchema).max(MAX_RUN_COSTS).optional(),
  /** The task's correlation id (see correlation.ts), when the dispatch carried one. */
  correlationId: z.string().max(40).optional(),
});

/** Marks a one-off reply, so a redelivered command never gets two answers. */
const ReplySchema = z.object({ to: z.number().int(), topic: z.string().max(64), user: z.string().max(100).optional() });

const schemas = {
  task: TaskMarkerSchema,
  control: ControlSchema,
  status: StatusSchema,
  run: RunSchema,
  reply: ReplySchema,
} as const;

export type MarkerKind = keyof typeof schemas;
export type MarkerValue<K extends MarkerKind> = K extends "task"
  ? TaskMarker
  : K extends "control"
    ? MilestoneControl
    : z.infer<(typeof schemas)[K]>;

const PATTERN = /<!--\s*architect:([a-z]+)\s+v(\d+)\s+([A-Za-z0-9_-]*)\s*-->/g;

/** Encode a marker as a hidden HTML comment. */
export function encodeMarker<K extends MarkerKind>(kind: K, value: MarkerValue<K>): string {
  const parsed = schemas[kind].parse(value);
  return `<!-- architect:${kind} v${MARKER_VERSION} ${toBase64Url(JSON.stringify(parsed))} -->`;
}

/** Decode the first valid marker of `kind` in `text`; null when there is none. */
export function decodeMarker<K extends MarkerKind>(kind: K, text: string | null | undefined): MarkerValue<K> | null {
  if (!text) return null;
  for (const match of text.matchAll(PATTERN)) {
    if (match[1] !== kind || Number(match[2]) !== MARKER_VERSION) continue;
    const json = fromBase64Url(match[3] ?? "");
    if (json === null) continue;
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      continue;
    }
    const result = schemas[kind].safeParse(data);
    if (result.success) return result.data as MarkerValue<K>;
  }
  return null;
}

/** True when `text` holds any Architect marker of `kind` (valid or not). */
export function hasMarker(kind: MarkerKind, text: string | null | undefined): boolean {
  if (!text) return false;
  for (const match of text.matchAll(PATTERN)) if (match[1] === kind) return true;
  return false;
}

/** Remove every Architect marker from `text` (before showing it to a model or a person). */
export function stripMarkers(text: string): string {
  return text.replace(PATTERN, "").trimEnd();
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(encoded: string): string | null {
  try {
    const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
