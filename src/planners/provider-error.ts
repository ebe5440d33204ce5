/**
 * Turning a provider's exception into a one-line reason that is safe to post in a
 * comment: no API keys (AS-3), no stack, bounded length.
 */

/** The App's environment as planners see it; injected so tests never touch process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Things that look like API keys, whether or not they are ours. */
const KEY_LIKE = /\b(?:sk|rk|pk|key)-[A-Za-z0-9_*-]{6,}/g;

/** Remove every secret and key-like token from `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(KEY_LIKE, "[redacted]");
}

/** A short, secret-free reason for a failed provider call. */
export function describeProviderError(error: unknown, secrets: readonly (string | undefined)[]): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = redactSecrets(message, secrets).replace(/\s+/g, " ").trim().slice(0, 300);
  if (status === null) return oneLine || "unknown error";
  // The openai client prefixes its messages with the status ("503 overloaded").
  return `HTTP ${status}: ${oneLine.replace(new RegExp(`^${status}\\s+`), "")}`;
}

function statusOf(error: unknown): number | null {
  if (error === null || typeof error !== "object") return null;
  const record = error as { status?: unknown; status_code?: unknown };
  const status = record.status ?? record.status_code;
  return typeof status === "number" ? status : null;
}

/** Model text quoted in a reason (a refusal) is capped and flattened. */
export function quoteModelText(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
