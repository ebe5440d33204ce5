import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/core/markers/markers.js";
import { runMilestone } from "../../src/harness/run-milestone.js";
import { startStack } from "../../src/harness/stack.js";
import { traceFields } from "../../src/observability/tracing.js";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  provider.register();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

const TWO_TASKS = "## Tasks\n\n- [ ] `api` Add the API\n  - scope: `src/api/**`\n- [ ] `ui` Add the UI\n  - depends on: `api`\n  - scope: `src/ui/**`\n";

describe("one correlation id and one trace, from the webhook to the merged PR", () => {
  it("follows the id through the dispatch inputs, the agent run's log, the PR marker, the App's logs and its spans", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    // The production logger's mixin: every line carries the active trace.
    const logger = pino({ level: "info", mixin: () => traceFields() }, sink);
    const stack = await startStack({ logger });
    try {
      const run = await runMilestone(stack, { title: "Two tasks", body: TWO_TASKS, timeoutMs: 40_000 });
      expect(run.allDone).toBe(true);
      const repo = stack.sandbox.repo;
      // The first task: dispatched by the reconcile the plan command asked for.
      const task = run.tasks.find((t) => t.key === "api")!;

      // The merged PR names the id in its run marker.
      const pull = repo.issues.get(task.pull!)!;
      expect(pull.pull?.merged).toBe(true);
      const id = decodeMarker("run", pull.body)?.correlationId;
      expect(id).toBe(`m${run.milestone.id}-t${task.number}`);

      // The dispatch carried it, and the agent run printed it first.
      const runs = [...repo.runs.values()].filter((r) => r.inputs.task === String(task.number));
      expect(runs.length).toBeGreaterThan(0);
      for (const r of runs) {
        expect(r.inputs.correlation_id).toBe(id);
        expect(r.log?.[0]).toBe(`correlation id: ${id}`);
      }

      // Architect logged the dispatch and the merge under it, inside a trace.
      const dispatched = lines.find((l) => l.msg === "agent run dispatched" && l.correlation_id === id);
      const merged = lines.find((l) => l.msg === "task pull request merged" && l.correlation_id === id);
      expect(dispatched?.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(merged?.trace_id).toMatch(/^[0-9a-f]{32}$/);

      // That trace: dispatch ← apply ← reconcile ← route ← webhook, the webhook a real delivery.
      const spans = exporter.getFinishedSpans();
      const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
      const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? "");
      const dispatch = spans.find((s) => s.name === "dispatch" && s.attributes["architect.correlation_id"] === id)!;
      expect(dispatch).toBeDefined();
      expect(dispatch.spanContext().traceId).toBe(dispatched?.trace_id);
      expect(dispatch.attributes["architect.run_key"]).toMatch(new RegExp(`^architect ${run.milestone.number}/${task.number}/1/initial$`));
      const chain: ReadableSpan[] = [];
      for (let s: ReadableSpan | undefined = dispatch; s; s = parentOf(s)) chain.push(s);
      expect(chain.map((s) => s.name.split(" ")[0])).toEqual(["dispatch", "apply", "reconcile", "route", "webhook"]);
      const webhook = chain.at(-1)!;
      const delivery = webhook.attributes["github.delivery_id"];
      expect(stack.sandbox.webhooks.log.some((d) => d.guid === delivery)).toBe(true);
      expect(chain[2]?.attributes).toMatchObject({ "github.repository": `${repo.owner.login}/${repo.name}`, "architect.milestone": run.milestone.number });
      // The dispatch request itself is a span under the dispatch.
      expect(spans.some((s) => s.parentSpanContext?.spanId === dispatch.spanContext().spanId && s.name.startsWith("github.request POST /repos/{owner}/{repo}/actions/workflows"))).toBe(true);
      // Every reconcile read and decided inside its own spans.
      const reconcile = chain[2]!;
      const children = spans.filter((s) => s.parentSpanContext?.spanId === reconcile.spanContext().spanId).map((s) => s.name);
      expect(children).toEqual(expect.arrayContaining(["snapshot", "decide", "apply"]));
    } finally {
      await stack.stop();
    }
  });
});
