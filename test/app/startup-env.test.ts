import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { credentialProblem } from "../../src/app/startup-env.js";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};

describe("credentialProblem", () => {
  it.each([
    ["no APP_ID", {}, /^APP_ID is not set/],
    ["a non-numeric APP_ID", { APP_ID: "my-app", PRIVATE_KEY: PEM }, /^APP_ID must be the GitHub App's numeric id/],
    ["no key at all", { APP_ID: "1" }, /^PRIVATE_KEY \(or PRIVATE_KEY_PATH\) is not set/],
    ["a key that is not PEM", { APP_ID: "1", PRIVATE_KEY: "hunter2" }, /^PRIVATE_KEY is not a PEM private key/],
    ["an unreadable key file", { APP_ID: "1", PRIVATE_KEY_PATH: "/missing.pem" }, /^PRIVATE_KEY_PATH: cannot read \/missing.pem \(ENOENT\)/],
  ])("names the variable for %s", (_name, env, message) => {
    expect(credentialProblem(env, noFile)).toMatch(message);
  });

  it.each([
    ["a PEM key", { APP_ID: "1", PRIVATE_KEY: PEM }],
    ["a base64 PEM key", { APP_ID: "1", PRIVATE_KEY: Buffer.from(PEM).toString("base64") }],
  ])("accepts %s", (_name, env) => {
    expect(credentialProblem(env, noFile)).toBeNull();
  });

  it("never prints the key it refuses", () => {
    expect(credentialProblem({ APP_ID: "1", PRIVATE_KEY: "hunter2" }, noFile)).not.toContain("hunter2");
  });
});

describe("the server started without credentials", () => {
  it.each([
    ["APP_ID", { WEBHOOK_SECRET: "s" }],
    ["PRIVATE_KEY_PATH", { WEBHOOK_SECRET: "s", APP_ID: "1", PRIVATE_KEY_PATH: "/nonexistent/key.pem" }],
  ])("prints one line naming %s and exits 1", (variable, env) => {
    const { PATH, HOME } = process.env;
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: { PATH, HOME, NODE_ENV: "production", ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(variable)]);
  });
});
