import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ollamaChat, ollamaError, openAiCompletion, openAiError, type FakeAnswer, type FakeTokens } from "./wire-format.js";

/**
 * A scripted model server for the sandbox and tests. It speaks OpenAI chat completions
 * (`POST /v1/chat/completions`) and Ollama chat (`POST /api/chat`) in their real wire
 * formats, so the official clients run unmodified against it, and it records every
 * request so a test can check what reached the model (the repair message, and that no
 * hidden text did).
 */

/** One scripted reply; the server answers calls from the script in order, whichever API is called. */
export type FakeLlmStep = (
  | { kind: "plan"; plan: unknown }
  | { kind: "text"; text: string }
  | { kind: "refusal"; message: string }
  | { kind: "truncated"; text: string }
  | { kind: "hang" }
  | { kind: "status"; status: number; message?: string }
) & { tokens?: FakeTokens; delayMs?: number };

/** A request the server received. */
export interface FakeLlmRequest {
  api: "openai" | "ollama";
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The chat messages of the request, for quick assertions. */
  messages: { role: string; content: string }[];
}

export interface FakeLlm {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** For OPENAI_BASE_URL. */
  openaiBaseUrl: string;
  /** For OLLAMA_HOST. */
  ollamaHost: string;
  requests: FakeLlmRequest[];
  /** Steps not yet answered. */
  remaining(): number;
  /** Append steps to the script. */
  push(...steps: FakeLlmStep[]): void;
  close(): Promise<void>;
}

/** Start the server on 127.0.0.1 (port 0 = any free port). */
export async function startFakeLlm(options: { script: FakeLlmStep[]; port?: number }): Promise<FakeLlm> {
  const queue = [...options.script];
  const requests: FakeLlmRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res, queue, requests).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    ollamaHost: url,
    requests,
    remaining: () => queue.length,
    push: (...steps) => void queue.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, queue: FakeLlmStep[], requests: FakeLlmRequest[]): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const api = req.method === "POST" && path === "/v1/chat/completions" ? "openai" : req.method === "POST" && path === "/api/chat" ? "ollama" : null;
  if (!api) return sendJson(res, 404, { error: `no route ${req.method} ${path}` });
  const body = await readJson(req);
  requests.push({ api, path, headers: { ...req.headers }, body, messages: messagesOf(body) });
  const step = queue.shift();
  if (!step) return sendError(res, api, 500, "fake LLM script is exhausted");
  if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
  if (step.kind === "hang") return; // never answer; the client's deadline must fire
  if (step.kind === "status") return sendError(res, api, step.status, step.message ?? `scripted HTTP ${step.status}`);
  const model = typeof (body as { model?: unknown })?.model === "string" ? (body as { model: string }).model : "fake";
  const answer = answerOf(step);
  const tokens = step.tokens ?? estimateTokens(body, answer);
  return sendJson(res, 200, api === "openai" ? openAiCompletion(model, answer, tokens, `chatcmpl-fake-${requests.length}`) : ollamaChat(model, answer, tokens));
}

function answerOf(step: Exclude<FakeLlmStep, { kind: "hang" | "status" }>): FakeAnswer {
  switch (step.kind) {
    case "plan":
      return { content: JSON.stringify(step.plan), finish: "stop" };
    case "text":
      return { content: step.text, finish: "stop" };
    case "refusal":
      return { content: null, refusal: step.message, finish: "stop" };
    case "truncated":
      return { content: step.text, finish: "length" };
  }
}

/** About four characters per token: deterministic and close enough for cost tests. */
function estimateTokens(body: unknown, answer: FakeAnswer): FakeTokens {
  const input = messagesOf(body).reduce((n, m) => n + m.content.length, 0);
  const output = (answer.content ?? answer.refusal ?? "").length;
  return { input: Math.ceil(input / 4), output: Math.ceil(output / 4) };
}

function messagesOf(body: unknown): { role: string; content: string }[] {
  const messages = (body as { messages?: unknown })?.messages;
  if (!Array.isArray(messages)) return [];
  return messages.map((m: { role?: unknown; content?: unknown }) => ({
    role: String(m?.role ?? ""),
    content: typeof m?.content === "string" ? m.content : JSON.stringify(m?.content ?? ""),
  }));
}

function sendError(res: ServerResponse, api: "openai" | "ollama", status: number, message: string): void {
  sendJson(res, status, api === "openai" ? openAiError(message) : ollamaError(message));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}
