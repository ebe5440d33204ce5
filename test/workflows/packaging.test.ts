import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The Dockerfile cannot be built here (no Docker engine), so its promises are checked as text. */
const dockerfile = readFileSync("Dockerfile", "utf8");
const instructions = dockerfile.split("\n").filter((line) => /^[A-Z]+\s/.test(line));

describe("Dockerfile", () => {
  it("is multi-stage: builds in one image, runs in another", () => {
    expect(instructions.filter((l) => l.startsWith("FROM ")).map((l) => l.split(/\s+/).pop())).toEqual(["build", "runtime"]);
    expect(dockerfile).toContain("npm prune --omit=dev");
  });

  it("runs as the non-root node user, after every COPY", () => {
    const user = instructions.findIndex((l) => l.startsWith("USER "));
    expect(instructions[user]).toBe("USER node");
    expect(instructions.slice(user).some((l) => l.startsWith("COPY ") || l.startsWith("RUN "))).toBe(false);
  });

  it("listens on all interfaces in production mode", () => {
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/NODE_ENV=production/);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
  });

  it("starts the compiled server entry, whose source exists", () => {
    const cmd = instructions.find((l) => l.startsWith("CMD "));
    expect(cmd).toBe('CMD ["node", "dist/src/server.js"]');
    expect(existsSync("src/server.ts")).toBe(true);
  });

  it("ships the manifest and the built-in defaults", () => {
    expect(dockerfile).toMatch(/COPY --chown=node:node app\.yml architect\.config\.yml \.\//);
    expect(existsSync("architect.config.yml")).toBe(true);
  });

  it("keeps secrets and local state out of the build context", () => {
    const ignored = readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of [".env", "*.pem", "node_modules", ".git"]) expect(ignored).toContain(entry);
  });
});
