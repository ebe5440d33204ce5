import { z } from "zod";
import type { RunFacts } from "../core/decide/snapshot.js";
import { RestRun } from "../github/api-schemas.js";
import { mapRun } from "../github/snapshot-mapper.js";

const WorkflowRunPayload = z.object({ workflow_run: RestRun.extend({ event: z.string() }) }).passthrough();

/**
 * The run a `workflow_run` webhook reports, when it is one of Architect's: started by
 * `workflow_dispatch` (which needs write access, as the runs list asks for) and titled
 * with a run key. Null for anything else, malformed payloads included: any workflow can
 * choose its own run name, and a fork's `pull_request` run must not pose as an agent run.
 * The webhook's `workflow_run` object has the same shape as an entry of `GET /actions/runs`.
 */
export function runFromWebhook(payload: unknown): RunFacts | null {
  const parsed = WorkflowRunPayload.safeParse(payload);
  if (!parsed.success || parsed.data.workflow_run.event !== "workflow_dispatch") return null;
  return mapRun(parsed.data.workflow_run);
}
