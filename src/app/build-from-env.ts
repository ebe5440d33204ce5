import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPlanners } from "../planners/create-planners.js";
import { realClock, type Clock } from "../shared/clock.js";
import { createArchitectApp, type ArchitectOptions } from "./architect-app.js";
import { parseDefaults, type ConfigDefaults } from "./config-loader.js";

/** The App's defaults file, shipped next to package.json. */
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

/**
 * Compose Architect for a real deployment: defaults from architect.config.yml, model
 * keys and hosts from the environment (never from repositories), wall-clock time.
 */
export function buildArchitectFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<ArchitectOptions> & { clock?: Clock } = {}) {
  const defaults = overrides.defaults ?? loadDefaults();
  return createArchitectApp({
    defaults,
    clock: overrides.clock ?? realClock,
    planners: overrides.planners ?? ((config) => createPlanners(config, env)),
    resyncMs: overrides.resyncMs ?? defaults.config.resync_minutes * 60_000,
    ...overrides,
  });
}
