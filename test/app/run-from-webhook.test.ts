import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { runFromWebhook } from "../../src/app/run-from-webhook.js";

const require = createRequire(import.meta.url);
const EXAMPLES = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];
const workflowRunExamples = EXAMPLES.find((e) => e.name === "workflow_run")!.examples;

/** GitHub's own example of a `workflow_run` webhook with `action`, its run dispatched and retitled to `title`. */
function example(action: "completed" | "requested", title: string | undefined): Record<string, unknown> & { workflow_run: Record<string, unknown> } {
  const found = workflowRunExamples.find((p) => p.action === action && typeof (p.workflow_run as { display_title?: unknown }).display_title === "string");
  const payload = structuredClone(found!) as Record<string, unknown> & { workflow_run: Record<string, unknown> };
  payload.workflow_run.event = "workflow_dispatch"; // the examples are repository_dispatch runs; Architect's are dispatched
  if (title === undefined) delete payload.workflow_run.display_title;
  else payload.workflow_run.display_title = title;
  return payload;
}

// A real GitHub payload whose run carries an Architect run key becomes that run's facts.
describe("runFromWebhook: Architect runs", () => {
  it("maps a completed run (GitHub's example payload) to RunFacts", () => {
    const payload = example("completed", "architect 7/12/2/retry");
    const raw = payload.workflow_run;
    expect(runFromWebhook(payload)).toEqual({
      id: raw.id,
      key: { milestone: 7, task: 12, seq: 2, mode: "retry" },
      status: "completed",
      conclusion: "success",
      createdAt: Date.parse("2020-10-05T16:33:24Z"),
      updatedAt: Date.parse("2020-10-05T16:33:49Z"),
      url: raw.html_url,
    });
    expect(raw.id).toBe(289782451);
  });

  it("maps a requested run, and a run without a status as queued", () => {
    const requested = example("requested", "architect 3/4/1/initial");
    expect(runFromWebhook(requested)).toMatchObject({ key: { milestone: 3, task: 4, seq: 1, mode: "initial" }, status: "queued", conclusion: null });
    requested.workflow_run.status = null;
    expect(runFromWebhook(requested)?.status).toBe("queued");
  });
});

// Anything that is not a well-formed Architect run is null, never a throw.
describe("runFromWebhook: everything else is null", () => {
  const withRun = (change: (run: Record<string, unknown>) => void) => {
    const payload = example("completed", "architect 7/12/2/retry");
    change(payload.workflow_run);
    return payload;
  };
  const cases: { name: string; payload: unknown }[] = [
    { name: "undefined", payload: undefined },
    { name: "null", payload: null },
    { name: "a string", payload: "workflow_run" },
    { name: "an array", payload: [example("completed", "architect 7/12/2/retry").workflow_run] },
    { name: "no workflow_run", payload: { action: "completed" } },
    { name: "workflow_run null", payload: { action: "completed", workflow_run: null } },
    { name: "workflow_run a string", payload: { action: "completed", workflow_run: "architect 7/12/2/retry" } },
    { name: "id as a string", payload: withRun((r) => (r.id = "289782451")) },
    { name: "fractional id", payload: withRun((r) => (r.id = 1.5)) },
    { name: "display_title a number", payload: withRun((r) => (r.display_title = 7)) },
    { name: "no display_title (older GitHub example)", payload: example("completed", undefined) },
    { name: "no html_url", payload: withRun((r) => delete r.html_url) },
    { name: "created_at not a date", payload: withRun((r) => (r.created_at = "yesterday")) },
    { name: "updated_at empty", payload: withRun((r) => (r.updated_at = "")) },
    { name: "updated_at null", payload: withRun((r) => (r.updated_at = null)) },
    { name: "a non-Architect title", payload: example("completed", "ci(action): update actions/setup-node digest") },
    // Any workflow picks its own run-name; only dispatched runs (write access) are Architect's.
    { name: "an Architect title on a pull_request run", payload: withRun((r) => (r.event = "pull_request")) },
    { name: "no event", payload: withRun((r) => delete r.event) },
    { name: "milestone 0", payload: example("completed", "architect 0/12/2/retry") },
    { name: "unknown mode", payload: example("completed", "architect 7/12/2/deploy") },
    { name: "extra words after the key", payload: example("completed", "architect 7/12/2/retry now") },
  ];
  it.each(cases)("$name", ({ payload }) => {
    let result: unknown = "threw";
    expect(() => (result = runFromWebhook(payload))).not.toThrow();
    expect(result).toBeNull();
  });
});
