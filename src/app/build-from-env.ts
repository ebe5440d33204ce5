import { createPlanners } from "../planners/create-planners.js";
import { realClock, type Clock } from "../shared/clock.js";
import { createArchitectApp, type ArchitectOptions } from "./architect-app.js";
import { loadDefaults } from "./defaults-file.js";

export { loadDefaults };

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
