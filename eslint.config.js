import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The core is pure: no Probot, no Octokit, no Node I/O, no reaching into the shell.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["probot", "probot/*", "@octokit/*", "node:*", "fs", "http", "https", "net", "child_process", "ioredis", "openai", "ollama"], message: "src/core is pure: no I/O imports." },
            { group: ["**/app/**", "**/github/**", "**/sandbox/**", "**/planners/**", "**/shared/clock*"], message: "src/core must not depend on the shell." },
          ],
        },
      ],
      "no-restricted-globals": ["error", "fetch", "process", "setTimeout", "setInterval"],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "time enters core as `now`." },
        { object: "Math", property: "random", message: "core is deterministic." },
      ],
    },
  },
);
