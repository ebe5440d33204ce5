import { spawn } from "node:child_process";

/**
 * Runs a program from an argv array, never through a shell, so no value can turn into
 * shell syntax. Output streams to the job log unless captured.
 */

export interface ExecOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then closed. */
  stdin?: string;
  /** Collect stdout instead of streaming it (for git plumbing). */
  capture?: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
}

/** Run `argv[0]` with the rest as arguments; resolves with the exit code (spawn errors reject). */
export function exec(argv: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new Error("exec: empty argv"));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", options.capture ? "pipe" : "inherit", "inherit"],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => reject(new Error(`could not start '${program}': ${error.message}`)));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(chunks).toString("utf8") }));
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on("error", () => undefined); // the tool may exit without reading all of stdin
      child.stdin.end(options.stdin);
    }
  });
}

/** Run and throw unless the exit code is 0; returns stdout when captured. */
export async function execOk(argv: readonly string[], options: ExecOptions): Promise<string> {
  const result = await exec(argv, options);
  if (result.code !== 0) throw new Error(`'${argv.slice(0, 2).join(" ")}' exited with code ${result.code}`);
  return result.stdout;
}

/**
 * The environment a tool process gets: the job's, minus credentials it has no business
 * with and minus the runner's file-command channels (so a tool cannot set environment or
 * outputs for later steps). Model keys pass through: the tool needs them.
 */
export function toolEnvironment(env: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(GITHUB_TOKEN|GH_TOKEN|ACTIONS_.*|GITHUB_(ENV|PATH|OUTPUT|STATE|STEP_SUMMARY)|ARCHITECT_APP_.*)$/.test(name)) continue;
    out[name] = value;
  }
  return { ...out, ...extra };
}
