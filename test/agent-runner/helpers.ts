import { INPUT_ENV, parseRunnerInputs, type InputName, type RunnerInputs } from "../../src/agent-runner/inputs.js";

/** Valid dispatch inputs for tests; override any field. */
export function testInputs(overrides: Partial<Record<InputName, string>> = {}): RunnerInputs {
  const values: Record<InputName, string> = {
    task: "7",
    milestone: "1",
    attempt: "1",
    branch: "architect/7-api",
    base: "main",
    agent: "claude",
    mode: "initial",
    run_key: "architect 1/7/1/initial",
    ...overrides,
  };
  const result = parseRunnerInputs(Object.fromEntries(Object.entries(values).map(([k, v]) => [INPUT_ENV[k as InputName], v])));
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.inputs;
}

/** The same inputs as environment variables, as the workflow passes them. */
export function inputsEnv(overrides: Partial<Record<InputName, string>> = {}): Record<string, string> {
  const inputs = testInputs(overrides);
  return {
    [INPUT_ENV.task]: String(inputs.task),
    [INPUT_ENV.milestone]: String(inputs.milestone),
    [INPUT_ENV.attempt]: String(inputs.attempt),
    [INPUT_ENV.branch]: inputs.branch,
    [INPUT_ENV.base]: inputs.base,
    [INPUT_ENV.agent]: inputs.agent,
    [INPUT_ENV.mode]: inputs.mode,
    [INPUT_ENV.run_key]: inputs.runTitle,
  };
}
