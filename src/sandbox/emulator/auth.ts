import { createVerify } from "node:crypto";
import type { App } from "./model.js";
import type { World } from "./state.js";

/**
 * App JWT verification: RS256 over `header.payload` with the App's public key, `iss` the
 * App id (or client id), `exp` in the future and at most ten minutes ahead of `iat`.
 * JWTs and token expiry use wall-clock time: they are minted by real client libraries
 * (universal-github-app-jwt, auth-app) that read `Date.now()`, whatever the sandbox clock says.
 */
export function verifyAppJwt(world: World, jwt: string, nowMs = Date.now()): App | null {
  const parts = jwt.split(".");
  if (parts.length !== 3) return null;
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  let header: { alg?: string };
  let payload: { iss?: string | number; exp?: number; iat?: number };
  try {
    header = JSON.parse(Buffer.from(headerB64, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(payloadB64, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (header.alg !== "RS256") return null;
  const app = [...world.apps.values()].find((a) => String(a.id) === String(payload.iss) || `Iv1.${a.id.toString(16)}` === payload.iss);
  if (!app) return null;
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${headerB64}.${payloadB64}`);
  if (!verifier.verify(app.publicKeyPem, Buffer.from(signatureB64, "base64url"))) return null;
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.exp !== "number" || payload.exp <= now) return null;
  if (typeof payload.iat === "number" && (payload.iat > now + 60 || payload.exp - payload.iat > 600)) return null;
  return app;
}
