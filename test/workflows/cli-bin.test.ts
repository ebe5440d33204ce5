import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The `architect` bin as `npm run build` and `npm link` make it: the compiled CLI, started
 * through a symlink, by its shebang. A full `tsc` build takes too long for a test, so the
 * CLI's own module graph is transpiled with the same compiler (no type check), into the
 * layout tsconfig.build.json gives (`dist/src/...`, defaults file at the package root).
 */

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
const build = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8")) as { compilerOptions: { outDir: string; rootDir: string } };

/** The source the bin is compiled from: undo outDir/rootDir of tsconfig.build.json. */
function binSource(): string {
  const out = pkg.bin.architect ?? "";
  const inOut = relative(build.compilerOptions.outDir, out);
  return join(build.compilerOptions.rootDir, inOut).replace(/\.js$/, ".ts");
}

/** Transpile `entry` and every relative import it reaches into `outRoot`, mirroring the source tree. */
function transpileGraph(entry: string, outRoot: string): number {
  const seen = new Set<string>();
  const queue = [resolve(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)\.js["']/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`));
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const out = join(outRoot, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  return seen.size;
}

let work: string;
let link: string;

beforeAll(() => {
  // Inside node_modules so the compiled files resolve the package's dependencies, as an installed package does.
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  work = mkdtempSync(join(cache, "architect-bin-"));
  const pkgRoot = join(work, "architect");
  transpileGraph(binSource(), join(pkgRoot, build.compilerOptions.outDir));
  copyFileSync(join(ROOT, "architect.config.yml"), join(pkgRoot, "architect.config.yml"));
  const target = join(pkgRoot, pkg.bin.architect ?? "");
  chmodSync(target, 0o755); // npm link and npm install make bin targets executable
  mkdirSync(join(work, "bin"));
  link = join(work, "bin", "architect");
  symlinkSync(target, link);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function runBin(args: string[]) {
  return spawnSync(link, args, {
    cwd: tmpdir(),
    encoding: "utf8",
    env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` },
  });
}

describe("the architect bin", () => {
  it("is compiled from the CLI, which starts with a node shebang", () => {
    expect(binSource()).toBe("src/cli/main.ts");
    expect(readFileSync(join(ROOT, binSource()), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("runs through a symlink from another directory: help exits 0", () => {
    const result = runBin(["help"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("architect plan --file <milestone.md>");
    expect(result.status).toBe(0);
  });

  it("plans the README's example with the App's defaults (codex is a known agent)", () => {
    const result = runBin(["plan", "--file", join(ROOT, "examples/milestone.md")]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^# Plan from markdown: 7 tasks/);
    expect(result.stdout).toMatch(/\| codex \|/);
  });
});
