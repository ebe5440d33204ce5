/**
 * `npm run demo`: one milestone from `/architect plan` to every task merged, with the real
 * Probot app and Octokit talking HTTP to the embedded GitHub emulator, scripted agents,
 * CI and a reviewer. Exit code 0 only if every task is done.
 *
 * `npm run demo -- --planner openai` (or `ollama`) plans with a model instead of the task
 * list: a local fake model server answers the real client from examples/llm-script.json
 * (invalid JSON, then a cycle, then a valid plan), so the repair round can be watched.
 *
 * `npm run demo -- --agent claude-code` (or `codex`) runs the agents for real: each dispatched
 * task goes through the runner's prepare → agent → publish with the pinned CLI, talking only
 * to a scripted model server on 127.0.0.1, and each task's cost is printed at the end.
 *
 * `npm run demo -- --scenario NAME` runs one repository set-up from examples/scenarios.ts
 * (`--help` lists them); it exits 0 only when the milestone completes with nothing duplicated.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { decodeMarker } from "../src/core/markers/markers.js";
import { taskSpend } from "../src/core/cost/spend.js";
import { startRealAgentRunner } from "../src/harness/real-agent.js";
import { startAgentModel, type AgentScript } from "../src/sandbox/fake-llm/agent-model.js";
import { runMilestone, type TaskOutcome } from "../src/harness/run-milestone.js";
import { startStack, type StackOptions } from "../src/harness/stack.js";
import { startFakeLlm, type FakeLlm, type FakeLlmStep } from "../src/sandbox/fake-llm/fake-llm.js";
import type { Issue } from "../src/sandbox/emulator/model.js";
import { scaledClock } from "../src/shared/clock.js";
import { duplicates, worldFacts } from "../test/e2e/invariants.js";
import { SCENARIOS, findScenario, type Scenario } from "./scenarios.js";

const SPEED = 300; // sandbox minutes pass 300× faster than real ones

type PlannerChoice = "markdown" | "openai" | "ollama";

function options(): { planner: PlannerChoice; scenario: string | undefined; agent: "claude-code" | "codex" | undefined; help: boolean } {
  const { values } = parseArgs({
    options: { planner: { type: "string", default: "markdown" }, scenario: { type: "string" }, agent: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    strict: true,
  });
  const planner = values.planner;
  if (planner !== "markdown" && planner !== "openai" && planner !== "ollama") throw new Error(`--planner must be markdown, openai or ollama (got "${planner}")`);
  const agent = values.agent;
  if (agent !== undefined && agent !== "claude-code" && agent !== "codex") throw new Error(`--agent must be claude-code or codex (got "${agent}")`);
  return { planner, scenario: values.scenario, agent, help: values.help ?? false };
}

function usage(): string {
  return [
    "npm run demo [-- --planner markdown|openai|ollama] [-- --agent claude-code|codex] [-- --scenario NAME]",
    "",
    "Scenarios:",
    ...SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.summary}`),
  ].join("\n");
}

async function main(): Promise<number> {
  const { planner, scenario: scenarioName, agent, help } = options();
  if (help) {
    console.log(usage());
    return 0;
  }
  if (agent !== undefined) return runRealAgents(agent);
  if (scenarioName !== undefined) {
    const scenario = findScenario(scenarioName);
    if (!scenario) {
      console.error(`unknown scenario "${scenarioName}"\n\n${usage()}`);
      return 2;
    }
    return runScenario(scenario);
  }
  const text = readFileSync(new URL("./milestone.md", import.meta.url), "utf8");
  const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? "Milestone";
  const body = text.replace(/^#\s+.+\n/, "").trim();
  const clock = scaledClock(SPEED);
  // The demo's clock starts at the `/architect plan` comment (set below), not when the
  // sandbox and the model servers start: their start-up is not Architect's time.
  let started = clock.now();
  const at = () => `${((clock.now() - started) / 60_000).toFixed(1).padStart(5)} min`;

  console.log(`Architect demo — sandbox GitHub at ${SPEED}× speed; agents take ~1 min, CI and review a few seconds (sandbox time).`);
  const model = planner === "markdown" ? null : await startModel(planner);
  const stack = await startStack({ clock, ...(model?.stackOptions ?? {}) });
  console.log(`  repository ${stack.sandbox.repo.owner.login}/${stack.sandbox.repo.name}: default branch protected (ci/test, architect/dag, 1 approval)`);
  console.log(`  maintainer opens "${title}" and comments /architect plan\n`);
  const watch = model ? watchModel(model.llm, model.script) : null;
  try {
    // runMilestone opens the milestone and comments /architect plan before its first await.
    started = clock.now();
    const run = await runMilestone(stack, {
      title,
      body,
      timeoutMs: 50_000,
      onChange: (task: TaskOutcome, previous) => {
        const pr = task.pull ? ` (PR #${task.pull})` : "";
        console.log(`  [${at()}] #${task.number} ${task.key.padEnd(18)} ${previous ? `${previous} → ` : ""}${task.state}${pr}`);
      },
    });
    watch?.stop();
    if (model) printModelUse(run.milestone, model.llm);
    printSummary(run, stack.sandbox.actorErrors);
    return run.allDone ? 0 : 1;
  } finally {
    watch?.stop();
    await stack.stop();
    await model?.llm.close();
  }
}

/** A path inside a scope glob (`src/db/**` → `src/db/task-2.md`; a file scope is that file). */
function pathInScope(scope: readonly string[], task: string): string {
  const first = scope[0];
  if (!first) return `notes/task-${task}.md`;
  if (!/[*?[]/.test(first)) return first;
  const dir = first.split("/").filter((part) => !/[*?[]/.test(part));
  return [...dir, `task-${task}.md`].join("/");
}

/** The agent the model server plays: note the task in a file inside its scope, run the test command, finish. */
function demoAgent(scopeOf: (task: number) => readonly string[]): AgentScript {
  return ({ turn, prompt }) => {
    const task = /Task #(\d+)/.exec(prompt)?.[1] ?? "0";
    if (turn === 0) return { kind: "write", path: pathInScope(scopeOf(Number(task)), task), content: `# Task #${task}\n\nDone by the demo agent.\n` };
    if (turn === 1) return { kind: "run", command: "npm test" };
    return { kind: "final", text: `Task #${task} done; tests pass.` };
  };
}

/** The example milestone with a real CLI as every agent, against the scripted model server. */
async function runRealAgents(tool: "claude-code" | "codex"): Promise<number> {
  const text = readFileSync(new URL("./milestone.md", import.meta.url), "utf8");
  const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? "Milestone";
  const body = text.replace(/^#\s+.+\n/, "").trim();
  const clock = scaledClock(SPEED);
  let scopeOf: (task: number) => readonly string[] = () => [];
  const model = await startAgentModel({ script: demoAgent((task) => scopeOf(task)) });
  // Codex reports tokens only; this example price (USD per million tokens) lets the demo show dollars.
  const prices = { "gpt-6.2-sol": { input_per_mtok: 1.25, output_per_mtok: 10 } };
  const agents = ["claude", "codex"].map((name) => `  - name: ${name}\n    tool: ${tool}\n    test_command: [npm, test]\n`).join("");
  const repoConfig = `agents:\n${agents}default_agent: claude\ntimeouts:\n  run_minutes: 1440\nprices:\n  gpt-6.2-sol: { input_per_mtok: 1.25, output_per_mtok: 10 }\n`;
  const stack = await startStack({
    clock,
    actors: { disable: ["agent"] },
    repoConfig,
    repo: { files: { "package.json": JSON.stringify({ name: "demo", private: true, scripts: { test: "node -e \"console.log('tests pass')\"" } }) } },
  });
  scopeOf = (task) => decodeMarker("task", stack.sandbox.repo.issues.get(task)?.body)?.scope ?? [];
  const keys: Record<string, string> =
    tool === "claude-code"
      ? { ANTHROPIC_API_KEY: "sk-demo", ANTHROPIC_BASE_URL: model.anthropicBaseUrl }
      : { OPENAI_API_KEY: "sk-demo", OPENAI_BASE_URL: model.openaiBaseUrl };
  console.log(`Architect demo with the real ${tool} CLI (pinned dev dependency) against a scripted model server at ${model.url}; nothing leaves this machine.`);
  console.log("  each task: Architect dispatches → runner prepare → the CLI edits a file and runs `npm test` → publish opens the PR with the run's cost\n");
  const stop = startRealAgentRunner(stack.sandbox, {
    env: { PATH: `${resolve("node_modules/.bin")}:${process.env.PATH ?? ""}`, ...keys },
    onError: (error) => console.error(error),
    onRun: (r) => console.log(`    run ${r.runKey}: ${r.ok ? "published" : `failed: ${r.error ?? ""}`}`),
  });
  try {
    const run = await runMilestone(stack, {
      title,
      body,
      timeoutMs: 900_000,
      onChange: (task: TaskOutcome, previous) => {
        const pr = task.pull ? ` (PR #${task.pull})` : "";
        console.log(`  #${task.number} ${task.key.padEnd(18)} ${previous ? `${previous} → ` : ""}${task.state}${pr}`);
      },
    });
    console.log("\nCost per task (from each PR's run marker)");
    let total = 0;
    for (const t of run.tasks) {
      const pull = t.pull ? stack.sandbox.repo.issues.get(t.pull) : undefined;
      const costs = decodeMarker("run", pull?.body)?.costs ?? [];
      const spend = taskSpend({ pull: pull ? ({ costs } as never) : null }, prices);
      total += spend.usd;
      const tokens = costs.reduce((n, c) => n + c.inputTokens + c.outputTokens, 0);
      console.log(`  #${String(t.number).padEnd(3)} ${t.key.padEnd(18)} $${spend.usd.toFixed(4)}  (${costs.length} run(s), ${tokens} tokens, ${costs.reduce((n, c) => n + c.seconds, 0).toFixed(0)} s)`);
    }
    console.log(`  milestone agents total: $${total.toFixed(4)} (${model.requests.length} model requests)`);
    console.log(run.allDone ? "\nAll tasks done." : "\nNot every task finished: see the states above.");
    return run.allDone ? 0 : 1;
  } finally {
    stop();
    await stack.stop();
    await model.close();
  }
}

/** One scenario from examples/scenarios.ts: exit 0 only when every task is done, nothing is duplicated and its own checks pass. */
async function runScenario(scenario: Scenario): Promise<number> {
  const clock = scaledClock(SPEED);
  const started = clock.now();
  const at = () => `${((clock.now() - started) / 60_000).toFixed(1).padStart(5)} min`;
  console.log(`Architect demo, scenario ${scenario.name}: ${scenario.summary}.\n`);
  const stack = await startStack({ clock, ...scenario.stack });
  try {
    const run = await runMilestone(stack, {
      title: scenario.title,
      body: scenario.body,
      timeoutMs: 60_000,
      onChange: (task: TaskOutcome, previous) => {
        const pr = task.pull ? ` (PR #${task.pull})` : "";
        console.log(`  [${at()}] #${task.number} ${task.key.padEnd(18)} ${previous ? `${previous} → ` : ""}${task.state}${pr}`);
      },
    });
    printSummary(run, stack.sandbox.actorErrors);
    for (const line of scenario.report(run, stack)) console.log(`  ${line}`);
    const problems = [...duplicates(worldFacts(stack.sandbox.repo, run.milestone)).map((d) => `duplicate: ${d}`), ...scenario.check(run, stack)];
    for (const problem of problems) console.log(`  ✗ ${problem}`);
    return run.allDone && problems.length === 0 ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

/** The fake model server and what points the App at it: the env var of the chosen client and a repo config choosing that planner. */
async function startModel(planner: "openai" | "ollama"): Promise<{ llm: FakeLlm; script: FakeLlmStep[]; stackOptions: Pick<StackOptions, "env" | "repoConfig"> }> {
  const script = JSON.parse(readFileSync(new URL("./llm-script.json", import.meta.url), "utf8")) as FakeLlmStep[];
  const llm = await startFakeLlm({ script });
  const env = planner === "openai" ? { OPENAI_BASE_URL: llm.openaiBaseUrl } : { OLLAMA_HOST: llm.ollamaHost };
  // gpt-4.1-mini is priced in the App's defaults, so the demo shows a cost; the fake server serves any model name.
  const repoConfig = `planner:\n  chain: [${planner}]\n  ${planner}: { model: gpt-4.1-mini }\n`;
  console.log(`  planner: ${planner} (real client) → fake model server at ${llm.url}, ${script.length} scripted answers`);
  return { llm, script, stackOptions: { env, repoConfig } };
}

/** Print each model request as it arrives: what the App sent back for repair, and what the script answers. */
function watchModel(llm: FakeLlm, script: readonly FakeLlmStep[]): { stop(): void } {
  let seen = 0;
  const timer = setInterval(() => {
    for (; seen < llm.requests.length; seen++) {
      const request = llm.requests[seen]!;
      const userMessages = request.messages.filter((m) => m.role === "user");
      if (seen === 0) console.log(`  model call 1 (${request.api} ${request.path}): the milestone prompt, ${userMessages[0]?.content.length ?? 0} characters`);
      else {
        // The repair message is: intro, blank line, the problems, blank line, the request to fix them.
        const problems = ((userMessages.at(-1)?.content ?? "").split("\n\n")[1] ?? "").split("\n");
        console.log(`  model call ${seen + 1}: repair ${seen}, the App sends back the validator's problems:`);
        for (const line of problems.slice(0, 5)) console.log(`      ${line}`);
      }
      console.log(`    ↳ the model answers: ${describeStep(script[seen])}`);
    }
  }, 20);
  return { stop: () => clearInterval(timer) };
}

function describeStep(step: FakeLlmStep | undefined): string {
  if (!step) return "(script exhausted)";
  if (step.kind === "text") return `prose, not JSON: "${step.text}"`;
  if (step.kind === "plan") {
    const plan = step.plan as { tasks?: { key: string; depends_on: string[] }[] };
    const deps = (plan.tasks ?? []).map((t) => `${t.key}${t.depends_on.length ? ` ← ${t.depends_on.join(", ")}` : ""}`);
    return `a plan: ${deps.join("; ")}`;
  }
  return step.kind;
}

/** Tokens and cost as the App recorded them in the milestone's control record. */
function printModelUse(milestone: Issue, llm: FakeLlm): void {
  const control = milestone.comments.map((c) => decodeMarker("control", c.body)).find((v) => v !== null) ?? null;
  const usage = control?.usage ?? [];
  console.log(`\nModel planning: ${llm.requests.length} requests to the model`);
  for (const u of usage) console.log(`  ${u.provider} ${u.model}: ${u.inputTokens} input + ${u.outputTokens} output tokens, $${u.usd.toFixed(6)}`);
  if (usage.length === 0) console.log("  no usage recorded");
}

function printSummary(run: Awaited<ReturnType<typeof runMilestone>>, actorErrors: unknown[]): void {
  console.log("\nSummary");
  console.log("  task                    state       PR");
  for (const t of run.tasks) console.log(`  #${String(t.number).padEnd(3)} ${t.key.padEnd(18)} ${t.state.padEnd(11)} ${t.pull ? `#${t.pull}${t.merged ? " merged" : ""}` : "-"}`);
  console.log(`\n  GitHub requests made by Architect: ${run.totalRequests} (${(run.totalRequests / Math.max(1, run.tasks.length)).toFixed(1)} per task)`);
  for (const [endpoint, count] of Object.entries(run.requests).sort((a, b) => b[1] - a[1])) console.log(`    ${String(count).padStart(4)}  ${endpoint}`);
  console.log(`\n  makespan: ${(run.makespanMs / 60_000).toFixed(1)} sandbox minutes`);
  if (actorErrors.length > 0) console.log(`  sandbox actor errors: ${actorErrors.length}`);
  console.log(run.allDone ? "\nAll tasks done." : "\nNot every task finished: see the states above.");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
