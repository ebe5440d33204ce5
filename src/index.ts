/**
 * Library entry: the pieces a host composes. `src/server.ts` is the runnable App;
 * the sandbox and tests compose the same pieces with an emulator.
 */
export { createArchitectApp, type ArchitectOptions, type ArchitectRuntime } from "./app/architect-app.js";
export { buildArchitectFromEnv, loadDefaults } from "./app/build-from-env.js";
export { ArchitectOctokit } from "./app/octokit-class.js";
export { decide } from "./core/decide/decide.js";
export { ArchitectConfig, defaultConfig } from "./core/config/config-schema.js";
export { Plan, PlannedTask } from "./core/plan/plan-schema.js";
