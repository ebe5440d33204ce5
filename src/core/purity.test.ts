/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

/**
 * The core decides; the shell does I/O. This test keeps it that way even where lint does
 * not run: it reads every file under src/core (through the test runner's loader, so this
 * file needs no node:fs either) and rejects imports of I/O libraries or of shell code.
 */

const FORBIDDEN_PACKAGES = [/^probot($|\/)/, /^@octokit\//, /^node:/, /^(fs|http|https|net|child_process)($|\/)/, /^ioredis$/, /^openai($|\/)/, /^ollama($|\/)/];
const FORBIDDEN_DIRS = ["src/app/", "src/github/", "src/sandbox/", "src/planners/", "src/shared/clock"];

/** Module specifiers a TypeScript source imports, re-exports, requires or imports dynamically. */
export function importSpecifiers(source: string): string[] {
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1] as string));
}

/** `../app/x.js` imported from `src/core/decide/decide.ts` → `src/app/x.js`. */
export function resolveRelative(fromFile: string, specifier: string): string {
  const parts = fromFile.split("/").slice(0, -1);
  for (const segment of specifier.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

/** Why `specifier` imported from `file` breaks purity, or null when it is fine. */
export function purityViolation(file: string, specifier: string): string | null {
  if (specifier.startsWith(".")) {
    const target = resolveRelative(file, specifier);
    const dir = FORBIDDEN_DIRS.find((d) => target.startsWith(d));
    return dir ? `${file} imports ${specifier} (${dir} is shell code)` : null;
  }
  return FORBIDDEN_PACKAGES.some((p) => p.test(specifier)) ? `${file} imports ${specifier} (I/O)` : null;
}

describe("purity checker", () => {
  it.each([
    ["src/core/a.ts", 'import { Probot } from "probot";', true],
    ["src/core/a.ts", 'import type { Octokit } from "@octokit/core";', true],
    ["src/core/a.ts", 'import { readFileSync } from "node:fs";', true],
    ["src/core/a.ts", 'import * as fs from "fs";', true],
    ["src/core/a.ts", 'import Redis from "ioredis";', true],
    ["src/core/a.ts", 'const m = await import("openai");', true],
    ["src/core/a.ts", 'const o = require("ollama");', true],
    ["src/core/a.ts", 'import "http";', true],
    ["src/core/x/a.ts", 'import { reconcile } from "../../app/reconcile.js";', true],
    ["src/core/x/a.ts", 'export { g } from "../../github/gateway.js";', true],
    ["src/core/x/a.ts", 'import type { Clock } from "../../shared/clock.js";', true],
    ["src/core/x/a.ts", 'import { p } from "../../planners/chain.js";', true],
    ["src/core/x/a.ts", 'import { s } from "../../sandbox/world.js";', true],
    ["src/core/x/a.ts", 'import { z } from "zod";', false],
    ["src/core/x/a.ts", 'import { STATE_LABELS } from "../../shared/labels.js";', false],
    ["src/core/x/a.ts", 'import { buildGraph } from "../dag/graph.js";', false],
    ["src/core/x/a.ts", 'import {\n  a,\n  b,\n} from "node:path";', true],
  ])("%s: %s → violation %s", (file, source, bad) => {
    const violations = importSpecifiers(source)
      .map((s) => purityViolation(file, s))
      .filter((v) => v !== null);
    expect(violations.length > 0).toBe(bad);
  });
});

describe("src/core purity", () => {
  const sources = import.meta.glob<string>("./**/*.ts", { query: "?raw", import: "default", eager: true });
  const files = Object.entries(sources).map(([path, text]) => [`src/core/${path.replace(/^\.\//, "")}`, text] as const);

  // (The glob leaves out this file itself; the checker table above covers its logic.)
  it("sees the core's files", () => {
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(["src/core/dag/graph.ts", "src/core/render/neutralize.ts", "src/core/plan/validate-plan.test.ts"]));
  });

  it("has no I/O or shell imports", () => {
    const violations = files.flatMap(([file, text]) =>
      importSpecifiers(text)
        .map((s) => purityViolation(file, s))
        .filter((v): v is string => v !== null),
    );
    expect(violations).toEqual([]);
  });
});
