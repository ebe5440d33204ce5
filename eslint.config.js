import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "agent-action/dist/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Type-aware rules: a new Effect or command kind cannot fall through a switch unhandled,
    // and a promise is never dropped on the floor (a lost write or an unhandled rejection).
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  {
    // The applier names every effect kind: a `default:` here would drop a new kind silently.
    files: ["src/app/apply-effects.ts"],
    rules: { "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: false }] },
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
