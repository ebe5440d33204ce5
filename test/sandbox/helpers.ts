import { Octokit } from "@octokit/core";
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

/** The status of a rejected Octokit request (or "ok"). */
export async function statusOf(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { status: number }).status;
  }
}
