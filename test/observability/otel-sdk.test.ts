import { describe, expect, it } from "vitest";
import { startTracingFromEnv, tracingWanted } from "../../src/observability/otel-sdk.js";

describe("the OpenTelemetry SDK switch", () => {
  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ["nothing set", {}, false],
    ["an OTLP endpoint", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, true],
    ["a traces endpoint", { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }, true],
    ["the otlp exporter named", { OTEL_TRACES_EXPORTER: "otlp" }, true],
    ["exporter none, endpoint set", { OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, false],
    ["SDK disabled", { OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" }, false],
    ["another exporter only", { OTEL_TRACES_EXPORTER: "console", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, false],
  ])("with %s: %s", (_label, env, wanted) => {
    expect(tracingWanted(env)).toBe(wanted);
  });

  it("starts nothing without the variables", async () => {
    expect(await startTracingFromEnv({})).toBeNull();
  });

  it("starts the SDK with an OTLP exporter when asked, and shuts it down", async () => {
    const handle = await startTracingFromEnv({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" });
    expect(handle).not.toBeNull();
    await handle?.shutdown();
  });
});
