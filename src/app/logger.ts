import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { traceFields } from "../observability/tracing.js";

/**
 * The logging surface the app needs (Probot's pino logger satisfies it). Kept minimal so
 * tests and the sandbox can pass a quiet or capturing logger.
 */
export interface Logger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The server's pino logger. JSON (one object a line) when `NODE_ENV=production` or
 * `LOG_FORMAT=json`; otherwise null, and Probot keeps its pretty format for a terminal.
 * Probot names its logger with a child (`name: "probot"`), so this one sets no `name` of
 * its own: a JSON line carries the key once. Every line also carries the active trace's
 * `trace_id` and `span_id` when tracing is on.
 */
export function createServerLogger(env: NodeJS.ProcessEnv, destination?: DestinationStream): PinoLogger | null {
  const json = env.LOG_FORMAT === "json" || (env.NODE_ENV === "production" && env.LOG_FORMAT !== "pretty");
  if (!json) return null;
  const options = {
    level: env.LOG_LEVEL || "info",
    messageKey: env.LOG_MESSAGE_KEY || "msg",
    mixin: () => traceFields(),
    ...(env.LOG_LEVEL_IN_STRING === "true" ? { formatters: { level: (label: string) => ({ level: label }) } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
