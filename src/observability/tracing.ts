import { context, SpanStatusCode, trace, type Attributes, type Link, type Span, type SpanContext } from "@opentelemetry/api";

/**
 * Tracing through the OpenTelemetry API only: without an SDK registered (the default, see
 * otel-sdk.ts) every call here is a no-op. Span names and attribute keys are Architect's
 * contract with whoever reads the traces:
 *   webhook → route → reconcile → snapshot / decide / apply → dispatch, and github.request
 *   under whichever of them made the request.
 */
export const TRACER_NAME = "architect";

/** Attribute keys (OpenTelemetry semantic conventions where one exists). */
export const ATTR = {
  delivery: "github.delivery_id",
  event: "github.event",
  repository: "github.repository",
  milestone: "architect.milestone",
  task: "architect.task",
  runKey: "architect.run_key",
  correlationId: "architect.correlation_id",
  route: "architect.route",
  pass: "architect.pass",
  effects: "architect.effects",
  httpMethod: "http.request.method",
  httpRoute: "http.route",
  httpStatus: "http.response.status_code",
} as const;

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

export interface SpanOptions {
  attributes?: Attributes;
  links?: Link[];
  /** Start from this parent instead of the active context (a queued reconcile continues its webhook's trace). */
  parent?: SpanContext | null;
}

/** Run `fn` inside a new active span; errors are recorded on it and rethrown. */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  const parentContext = options.parent ? trace.setSpanContext(context.active(), options.parent) : options.parent === null ? trace.deleteSpan(context.active()) : context.active();
  return tracer().startActiveSpan(name, { attributes: options.attributes, links: options.links }, parentContext, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's context, to continue a trace later (null when nothing is traced). */
export function activeSpanContext(): SpanContext | null {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext : null;
}

/** Trace and span id of the active span, for log lines (empty when nothing is traced). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = activeSpanContext();
  return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}
