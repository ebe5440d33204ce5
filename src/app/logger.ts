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
