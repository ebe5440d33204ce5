import { Octokit } from "@octokit/core";
import { afterEach } from "vitest";
import { createSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import { ManualClock } from "./manual-clock.js";

/** A sandbox on a manual clock plus Octokit clients for the App's installation and people. */
export async function sandboxWithClients(options: SandboxOptions = {}) {
  const clock = new ManualClock();
  const sandbox: Sandbox = await createSandbox({ clock, actors: false, ...options });
  const { token } = sandbox.state.createInstallationToken(sandbox.installation, 3_600_000, Date.now());
  const client = (auth: string) => new Octokit({ auth, baseUrl: sandbox.url });
  return {
    clock,
    sandbox,
    world: sandbox.state,
    repo: sandbox.repo,
    app: client(token),
    as: (login: string) => client(sandbox.state.createUserToken(login)),
    o: { owner: sandbox.repo.owner.login, repo: sandbox.repo.name },
  };
}

/** What {@link sandboxWithClients} gives a test. */
export type SandboxWithClients = Awaited<ReturnType<typeof sandboxWithClients>>;

/**
 * Registers an `afterEach` that closes every sandbox the test opened, so a failed test
 * never leaves an HTTP server listening; returns the `setup` the test calls instead of
 * {@link sandboxWithClients}. Call it once at the top of a test file.
 */
export function useSandboxWithClients(): (options?: SandboxOptions) => Promise<SandboxWithClients> {
  const open: Sandbox[] = [];
  afterEach(async () => {
    for (const sandbox of open.splice(0)) await sandbox.close();
  });
  return async (options = {}) => {
    const setup = await sandboxWithClients(options);
    open.push(setup.sandbox);
    return setup;
  };
}

/** The status of a rejected Octokit request (or "ok"). */
export async function statusOf(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { status: number }).status;
  }
}
