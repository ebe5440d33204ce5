import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

/**
 * Bundles the agent runner into the action's one committed file. The same options serve
 * `npm run build:action` (writes the file) and the test that rebuilds it in memory and
 * compares it with the committed one, so the action can never run code the source lacks.
 */
export const ACTION_BUNDLE = "agent-action/dist/index.mjs";

export const BUILD_OPTIONS: BuildOptions = {
  entryPoints: ["src/agent-runner/action.ts"],
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  // Bundled CommonJS dependencies call require(): give the ES module one.
  banner: { js: 'import { createRequire as __architectCreateRequire } from "node:module";\nconst require = __architectCreateRequire(import.meta.url);' },
  legalComments: "eof",
  charset: "utf8",
  sourcemap: false,
  minify: false,
  logLevel: "silent",
};

/** The bundle's text, built in memory. */
export async function buildActionBundle(): Promise<string> {
  const result = await build({ ...BUILD_OPTIONS, write: false, outfile: ACTION_BUNDLE });
  const file = result.outputFiles?.[0];
  if (!file) throw new Error("esbuild produced no output");
  return file.text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await buildActionBundle();
  await mkdir(dirname(ACTION_BUNDLE), { recursive: true });
  await writeFile(ACTION_BUNDLE, text);
  console.log(`wrote ${ACTION_BUNDLE} (${Math.round(text.length / 1024)} KiB)`);
}
