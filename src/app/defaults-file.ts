import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDefaults, type ConfigDefaults } from "./config-loader.js";

/**
 * The App's defaults file, shipped next to package.json. The App and the CLI both start
 * from it (then layerConfig merges a repository's file or `--config` over it), so a plan
 * made locally sees the same agents and limits as one made by the App.
 */
export function loadDefaults(path = defaultsPath()): ConfigDefaults {
  return parseDefaults(readFileSync(path, "utf8"), path);
}

function defaultsPath(): string {
  // src/app/ (tsx) or dist/src/app/ (built): walk up to the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i += 1) {
    try {
      const candidate = join(dir, "architect.config.yml");
      readFileSync(candidate);
      return candidate;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error("architect.config.yml not found next to package.json");
}
