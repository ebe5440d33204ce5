import { readFileSync } from "node:fs";

/**
 * The App's credentials, checked before Probot sees them, so a misconfigured server says in
 * one line which variable is wrong instead of printing Probot's stack trace ("appId option is
 * required", "privateKey option is required"). Returns that line, or null when all is well.
 */
export function credentialProblem(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): string | null {
  if (!env.APP_ID) return "APP_ID is not set: give the GitHub App's numeric id (docs/install.md).";
  if (!/^\d+$/.test(env.APP_ID)) return `APP_ID must be the GitHub App's numeric id, not "${env.APP_ID.slice(0, 40)}".`;
  if (env.PRIVATE_KEY) {
    return looksLikePem(env.PRIVATE_KEY) ? null : "PRIVATE_KEY is not a PEM private key (nor base64 of one).";
  }
  if (!env.PRIVATE_KEY_PATH) return "PRIVATE_KEY (or PRIVATE_KEY_PATH) is not set: give the GitHub App's private key.";
  let key: string;
  try {
    key = readFile(env.PRIVATE_KEY_PATH);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return `PRIVATE_KEY_PATH: cannot read ${env.PRIVATE_KEY_PATH} (${code}).`;
  }
  return looksLikePem(key) ? null : `PRIVATE_KEY_PATH: ${env.PRIVATE_KEY_PATH} is not a PEM private key.`;
}

/** Probot accepts the PEM text itself or its base64 encoding (@probot/get-private-key). */
function looksLikePem(text: string): boolean {
  const pem = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  return pem.test(text) || pem.test(Buffer.from(text, "base64").toString("utf8"));
}
