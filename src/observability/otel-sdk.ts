import { trace } from "@opentelemetry/api";

/**
 * Turn the OpenTelemetry SDK on when the standard variables ask for it, and only then:
 * `OTEL_TRACES_EXPORTER=otlp`, or an `OTEL_EXPORTER_OTLP_ENDPOINT` /
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` with no exporter named (`OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none` keep it off). The OTLP/HTTP exporter reads the rest of the
 * standard variables itself (endpoint, headers, timeout); `OTEL_SERVICE_NAME` names the
 * service (default `architect`). The SDK is loaded lazily, so a deployment without tracing
 * loads none of it.
 */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === "true") return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (exporters.includes("none")) return false;
  if (exporters.includes("otlp")) return true;
  return exporters.length === 0 && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface TracingHandle {
  shutdown(): Promise<void>;
}

export async function startTracingFromEnv(env: NodeJS.ProcessEnv): Promise<TracingHandle | null> {
  if (!tracingWanted(env)) return null;
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "architect" }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
