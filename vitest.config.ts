import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // nock 15 needs Promise.withResolvers, which Node 20 lacks (polyfilled for tests only).
    setupFiles: ["test/setup/promise-with-resolvers.ts"],
  },
});
