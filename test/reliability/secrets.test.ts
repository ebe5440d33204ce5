import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../src/harness/stack.js";
import { startFakeLlm, type FakeLlm } from "../../src/sandbox/fake-llm/fake-llm.js";
import { duplicateWork, milestoneDone, TEN_TASK_BODY } from "./support/milestone.js";

/**
 * Issue #5, reliability 6 (AS-3): a whole milestone with recognisable secrets — a model API
 * key the provider echoes back in its error, the webhook secret, the App's private key and
 * every installation token the emulator minted — and a debug-level logger capturing every
 * line. None of them, nor their base64 / URL-encoded forms, may appear in a log line or in
 * anything the App wrote to GitHub. Error paths are provoked on purpose (a provider 401,
 * 5xx answers, an ambiguous write, a forged webhook), because that is where secrets leak.
 */
let stack: Stack | null = null;
let llm: FakeLlm | null = null;
afterEach(async () => {
  await stack?.stop();
  await llm?.close();
  stack = null;
  llm = null;
});

/** The forms a secret takes when something encodes it on the way out. */
function variants(secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("base64url"), encodeURIComponent(secret)];
  return [...new Set(forms)].filter((f) => f.length >= 12);
}

/** A PEM key leaks if any line of its base64 body does (a log may wrap or cut it). */
function pemVariants(pem: string): string[] {
  const body = pem.split("\n").filter((l) => l && !l.startsWith("-----"));
  return [...variants(pem), ...body.filter((l) => l.length >= 40), body.join("")];
}

function leaks(haystacks: readonly string[], secrets: Record<string, string[]>): string[] {
  const found: string[] = [];
  for (const [name, forms] of Object.entries(secrets)) {
    for (const form of forms) {
      const hit = haystacks.find((h) => h.includes(form));
      if (hit) found.push(`${name} (as ${form.slice(0, 12)}…) in: ${hit.slice(0, 200)}`);
    }
  }
  return found;
}

describe("secrets never reach logs or GitHub", () => {
  it("a milestone run with canary secrets and debug logging leaks none of them", async () => {
    const openaiKey = `sk-canary-${randomBytes(12).toString("hex")}`;
    const webhookSecret = `whsec-canary-${randomBytes(12).toString("hex")}`;
    // A careless provider repeats the key it rejected; the App must not pass that on.
    llm = await startFakeLlm({ script: [{ kind: "status", status: 401, message: `Incorrect API key provided: ${openaiKey}. You can find your API key at https://platform.openai.com/account/api-keys.` }] });
    const lines: string[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });

    stack = await startStack({
      logger,
      webhookSecret,
      env: { OPENAI_API_KEY: openaiKey, OPENAI_BASE_URL: llm.openaiBaseUrl },
      repoConfig: "planner:\n  chain: [openai, markdown]\n",
    });
    const emulator = stack.sandbox.emulator;
    emulator.addFault({ kind: "status", status: 502, match: { route: /^GET / }, probability: 0.1, seed: 3 });
    emulator.addFault({ kind: "commit-then-fail", match: { method: "POST", route: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches" }, times: 1 });
    emulator.addFault({ kind: "status", status: 500, match: { route: "/graphql", graphql: "query" }, probability: 0.05, seed: 4 });

    const forged = await fetch(stack.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": "forged-1", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
      body: JSON.stringify({ action: "opened", secret: "none" }),
    });
    expect(forged.status).toBe(401);

    const milestone = stack.openMilestone("Reliability: secrets", TEN_TASK_BODY);
    stack.comment(milestone, "/architect plan");
    const done = await stack.waitFor(() => milestoneDone(milestone), 60_000);
    await stack.settle(5_000);
    expect(done).toBe(true);
    expect(duplicateWork(stack.sandbox.repo, milestone)).toEqual([]);

    // The key really travelled (so its absence below means something), and the error path ran.
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(String(llm.requests[0]?.headers.authorization)).toContain(openaiKey);
    const tokens = [...stack.sandbox.state.tokens.entries()].filter(([, grant]) => grant.kind === "installation").map(([token]) => token);
    expect(tokens.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.some((l) => /"level":(20|30|40|50)/.test(l))).toBe(true);

    const secrets: Record<string, string[]> = {
      OPENAI_API_KEY: variants(openaiKey),
      "webhook secret": variants(webhookSecret),
      "private key": pemVariants(stack.sandbox.registerApp().privateKeyPem),
      ...Object.fromEntries(tokens.map((t, i) => [`installation token ${i + 1}`, variants(t)])),
    };
    const repo = stack.sandbox.repo;
    const written = [
      ...[...repo.issues.values()].flatMap((i) => [i.title, i.body, ...i.comments.map((c) => c.body)]),
      ...repo.checkRuns.map((c) => JSON.stringify(c.output)),
      ...[...repo.runs.values()].map((r) => `${r.displayTitle} ${JSON.stringify(r.inputs)}`),
      ...[...repo.commits.values()].map((c) => c.message),
    ];
    expect(leaks(lines, secrets), "log lines").toEqual([]);
    expect(leaks(written, secrets), "what the App wrote to GitHub").toEqual([]);
    // The same goes for what went to the model: its prompt never carries a secret either.
    expect(leaks(llm.requests.map((r) => JSON.stringify(r.body)), secrets), "model prompts").toEqual([]);
    // No JWT (the App's own, or a token in JWT form) in any log line.
    expect(lines.filter((l) => /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\./.test(l))).toEqual([]);
  }, 90_000);

  it("a provider error that echoes the key is answered on the issue with the key redacted", async () => {
    // Not `sk-`-shaped, so only the App's list of its own secrets can catch it.
    const openaiKey = `canary-openai-${randomBytes(12).toString("hex")}`;
    llm = await startFakeLlm({ script: [{ kind: "status", status: 401, message: `Incorrect API key provided: ${openaiKey}.` }] });
    const lines: string[] = [];
    stack = await startStack({
      logger: pino({ level: "debug" }, { write: (line: string) => void lines.push(line) }),
      env: { OPENAI_API_KEY: openaiKey, OPENAI_BASE_URL: llm.openaiBaseUrl },
      repoConfig: "planner:\n  chain: [openai]\n",
    });
    const milestone = stack.openMilestone("Reliability: provider error", TEN_TASK_BODY);
    stack.comment(milestone, "/architect plan");
    await stack.settle(20_000);
    const replies = milestone.comments.filter((c) => c.user.login.endsWith("[bot]")).map((c) => c.body);
    expect(replies.join("\n")).toMatch(/401/);
    expect(leaks(replies, { OPENAI_API_KEY: variants(openaiKey) })).toEqual([]);
    expect(leaks(lines, { OPENAI_API_KEY: variants(openaiKey) })).toEqual([]);
  }, 60_000);
});
