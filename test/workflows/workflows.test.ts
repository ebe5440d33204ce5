import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load as parse } from "js-yaml";
import { describe, expect, it } from "vitest";
import { INPUT_PATTERNS, type InputName } from "../../src/agent-runner/inputs.js";
import { checkWorkflow, type Violation } from "./workflow-rules.js";

const DIR = ".github/workflows";
const AGENT = "architect-agent.yml";
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(DIR, file), "utf8");

describe("every workflow under .github/workflows", () => {
  it("exists (ci and the agent workflow)", () => {
    expect(files).toEqual(expect.arrayContaining([AGENT, "ci.yml"]));
  });

  it.each(files)("%s passes the static rules", (file) => {
    expect(checkWorkflow(file, read(file), { agent: file === AGENT })).toEqual([]);
  });
});

/** The parts of the agent workflow these tests read. */
interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface AgentWorkflow {
  "run-name": string;
  on: { workflow_dispatch: { inputs: Record<string, { required: boolean; type: string }> } };
  jobs: Record<"agent" | "publish", { needs?: string; permissions?: unknown; steps: Step[] }>;
}

describe("the agent workflow", () => {
  const doc = parse(read(AGENT)) as AgentWorkflow;
  const validation = doc.jobs.agent.steps[0]?.run ?? "";

  it("takes exactly the inputs Architect dispatches: strings, all required but review_id and correlation_id", () => {
    const inputs = doc.on.workflow_dispatch.inputs;
    expect(Object.keys(inputs).sort()).toEqual(["agent", "attempt", "base", "branch", "correlation_id", "milestone", "mode", "review_id", "run_key", "task"]);
    for (const [name, spec] of Object.entries(inputs)) expect(spec).toMatchObject({ required: name !== "review_id" && name !== "correlation_id", type: "string" });
  });

  it("names its runs by the run key Architect correlates on", () => {
    expect(doc["run-name"]).toBe("${{ inputs.run_key }}");
  });

  it("validates every input in its first step with the runner's own patterns", () => {
    expect(doc.jobs.agent.steps[0]?.name).toBe("Validate inputs");
    const checks = Object.fromEntries([...validation.matchAll(/^\s*check (\w+) '([^']+)'/gm)].map((m) => [m[1], m[2]]));
    const expected = Object.fromEntries(Object.entries(INPUT_PATTERNS).map(([name, re]) => [name, re.source.replace(/\\\//g, "/")]));
    expect(checks).toEqual(expected);
    for (const name of Object.keys(INPUT_PATTERNS) as InputName[]) expect(validation).toContain(`"$ARCHITECT_${name.toUpperCase()}"`);
  });

  it.each<[string, Record<string, string>, number]>([
    ["a valid dispatch", {}, 0],
    ["shell syntax in the branch", { ARCHITECT_BRANCH: 'architect/34-x";id;#' }, 1],
    ["command substitution in the run title", { ARCHITECT_RUN_KEY: "$(id)" }, 1],
    ["another task's branch", { ARCHITECT_BRANCH: "architect/35-x" }, 1],
    ["a base with ..", { ARCHITECT_BASE: "a..b" }, 1],
    ["a missing input", { ARCHITECT_TASK: "" }, 1],
    ["a review run with its review id", { ARCHITECT_MODE: "review", ARCHITECT_RUN_KEY: "architect 12/34/2/review", ARCHITECT_REVIEW_ID: "2201" }, 0],
    ["a review run without a review id", { ARCHITECT_MODE: "review", ARCHITECT_RUN_KEY: "architect 12/34/2/review" }, 1],
    ["a review id on another mode", { ARCHITECT_REVIEW_ID: "2201" }, 1],
    ["shell syntax in the review id", { ARCHITECT_MODE: "review", ARCHITECT_RUN_KEY: "architect 12/34/2/review", ARCHITECT_REVIEW_ID: "1;id" }, 1],
    ["no correlation id (an older Architect)", { ARCHITECT_CORRELATION_ID: "" }, 0],
    ["shell syntax in the correlation id", { ARCHITECT_CORRELATION_ID: "m1-t2;id" }, 1],
  ])("its validation step, run in bash, accepts or rejects %s", (_label, overrides, code) => {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ARCHITECT_TASK: "34",
      ARCHITECT_MILESTONE: "12",
      ARCHITECT_ATTEMPT: "1",
      ARCHITECT_BRANCH: "architect/34-x",
      ARCHITECT_BASE: "main",
      ARCHITECT_AGENT: "claude",
      ARCHITECT_MODE: "initial",
      ARCHITECT_RUN_KEY: "architect 12/34/1/initial",
      ARCHITECT_REVIEW_ID: "",
      ARCHITECT_CORRELATION_ID: "m9012-t34",
      ...overrides,
    };
    const result = spawnSync("bash", ["-c", validation], { env, encoding: "utf8" });
    expect(result.status).toBe(code);
    if (code !== 0) expect(result.stdout).toContain("::error");
  });

  it("passes the App token only to the publish job and the model keys only to the agent step", () => {
    const runAgent = doc.jobs.agent.steps.find((s) => s.name === "Run the agent");
    expect(Object.keys(runAgent?.env ?? {}).sort()).toEqual([
      "ANTHROPIC_API_KEY",
      "ANTHROPIC_BASE_URL",
      "CODEX_API_KEY",
      "LLM_API_KEY",
      "LLM_MODEL",
      "OPENAI_API_KEY",
      "OPENAI_BASE_URL",
    ]);
    expect(JSON.stringify(doc.jobs.agent)).not.toContain("ARCHITECT_APP_PRIVATE_KEY");
    expect(JSON.stringify(doc.jobs.agent)).not.toMatch(/:\s*write/);
    expect(doc.jobs.publish.needs).toBe("agent");
    expect(doc.jobs.publish.permissions).toEqual({});
  });

  it("installs the tool in its own step, before the agent runs, with no key or token", () => {
    const names = doc.jobs.agent.steps.map((s) => s.name);
    const install = doc.jobs.agent.steps.find((s) => s.name === "Install the agent tool");
    expect(names.indexOf("Install the agent tool")).toBeLessThan(names.indexOf("Run the agent"));
    expect(install?.env).toBeUndefined();
    expect(install?.with).toEqual({ step: "install" });
  });

  it("runs every runner step through the agent action, pinned to a commit", () => {
    const steps = [...doc.jobs.agent.steps, ...doc.jobs.publish.steps].filter((s) => s.uses?.includes("/agent-action@"));
    expect(steps.map((s) => s.with?.step)).toEqual(["prepare", "install", "agent", "publish"]);
    for (const step of steps) expect(step.uses).toMatch(/^[\w.-]+\/architect\/agent-action@[0-9a-f]{40}$/);
    expect(read(AGENT)).not.toMatch(/tsx|architect-runner/);
  });

  it("uses the GITHUB_TOKEN only to read, in the prepare step", () => {
    const uses = doc.jobs.agent.steps.filter((s) => JSON.stringify(s).includes("github.token"));
    expect(uses.map((s) => s.name)).toEqual(["Read the task and build the prompt"]);
  });
});

/** A minimal valid workflow to break one rule at a time. */
const GOOD = `
name: ok
on:
  workflow_dispatch:
    inputs:
      task: { required: true, type: string }
permissions: {}
concurrency:
  group: architect-task-\${{ inputs.task }}
  cancel-in-progress: false
jobs:
  agent:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          persist-credentials: false
      - name: Run the agent
        env:
          TASK: \${{ inputs.task }}
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
        run: echo "$TASK"
`;

const rulesOf = (violations: Violation[]) => [...new Set(violations.map((v) => v.rule))].sort();

describe("checkWorkflow catches each violation", () => {
  it("accepts the minimal good workflow", () => {
    expect(checkWorkflow("good.yml", GOOD, { agent: true })).toEqual([]);
  });

  it.each<[string, (text: string) => string, Violation["rule"][]]>([
    ["an input expression inside run:", (t) => t.replace(`run: echo "$TASK"`, "run: echo ${{ inputs.task }}"), ["run-expression"]],
    ["an issue title inside run:", (t) => t.replace(`run: echo "$TASK"`, 'run: |\n          echo "${{ github.event.issue.title }}"'), ["run-expression"]],
    ["a tag-pinned action", (t) => t.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4"), ["unpinned-action"]],
    ["a short-SHA action", (t) => t.replace("11bd71901bbe5b1630ceea73d27597364c9af683", "11bd719"), ["unpinned-action"]],
    ["an unpinned docker action", (t) => t.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "docker://alpine:3"), ["unpinned-action"]],
    ["no top-level permissions", (t) => t.replace("permissions: {}\n", ""), ["permissions"]],
    ["write-all at the top", (t) => t.replace("permissions: {}\n", "permissions: write-all\n"), ["permissions"]],
    ["write access in the agent job", (t) => t.replace("contents: read", "contents: write"), ["permissions"]],
    ["a job without timeout-minutes", (t) => t.replace("    timeout-minutes: 10\n", ""), ["timeout"]],
    ["a second trigger on the agent workflow", (t) => t.replace("on:\n", "on:\n  push:\n"), ["trigger"]],
    ["pull_request_target", (t) => t.replace("on:\n  workflow_dispatch:", "on:\n  pull_request_target:\n  workflow_dispatch:"), ["pull-request-target", "trigger"]],
    ["no concurrency group", (t) => t.replace(/concurrency:\n.*\n.*\n/, ""), ["concurrency"]],
    ["cancel-in-progress: true", (t) => t.replace("cancel-in-progress: false", "cancel-in-progress: true"), ["concurrency"]],
    ["checkout that keeps credentials", (t) => t.replace("persist-credentials: false", "persist-credentials: true"), ["persist-credentials"]],
    ["a model key in another step", (t) => t.replace("- name: Run the agent", "- name: Something else"), ["secrets"]],
    ["the App key in the agent step", (t) => t.replace("secrets.ANTHROPIC_API_KEY", "secrets.ARCHITECT_APP_PRIVATE_KEY"), ["secrets"]],
    ["a secret for the whole job", (t) => t.replace("    timeout-minutes: 10\n", "    timeout-minutes: 10\n    env:\n      K: ${{ secrets.OPENAI_API_KEY }}\n"), ["secrets"]],
    ["not YAML", () => "on: [", ["parse"]],
  ])("%s", (_label, mutate, rules) => {
    const bad = mutate(GOOD);
    expect(bad).not.toBe(GOOD);
    expect(rulesOf(checkWorkflow("bad.yml", bad, { agent: true }))).toEqual(rules);
  });

  it("applies the general rules to any workflow and the agent rules only when asked", () => {
    const ci = "on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n      - run: npm test\n";
    expect(checkWorkflow("ci.yml", ci)).toEqual([]);
    expect(rulesOf(checkWorkflow("ci.yml", ci, { agent: true }))).toEqual(["concurrency", "permissions", "trigger"]);
  });
});
