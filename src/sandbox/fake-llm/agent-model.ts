import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  anthropicError,
  anthropicMessage,
  anthropicStream,
  responsesStream,
  sseBody,
  type AgentTokens,
  type AnthropicBlock,
  type ResponsesItem,
} from "./agent-wire.js";

/**
 * A scripted model server for the real agent CLIs (Claude Code and Codex). It speaks the
 * Anthropic Messages API and the OpenAI Responses API, streamed, as the CLIs need them
 * (docs/agents.md, measured in agent-clis.md), and plays a coding agent from a script:
 * each model turn the script picks one action (write a file, run a command, finish), and
 * the server spells it as the tool call the calling CLI offers. Everything it knows comes
 * from the request (the conversation so far), so one server serves any number of runs.
 */

/** One step of the scripted agent. Paths are relative to the CLI's working directory. */
export type AgentAction = { kind: "write"; path: string; content: string } | { kind: "run"; command: string } | { kind: "final"; text: string };

/** What the script sees each model turn. */
export interface AgentTurn {
  api: "anthropic" | "openai";
  /** Actions already taken in this conversation (0 on the first turn). */
  turn: number;
  /** Every user text of the conversation, joined (the task prompt is in here). */
  prompt: string;
  /** What the last action returned (tool output), or null on the first turn. */
  lastOutput: string | null;
  /** The working directory the CLI reported, when found. */
  cwd: string | null;
}

export type AgentScript = (turn: AgentTurn) => AgentAction;

/** A request the server answered. */
export interface AgentModelRequest {
  api: "anthropic" | "openai";
  path: string;
  model: string;
  /** True when the request offered tools (a turn of the agent loop, not a side request). */
  agentTurn: boolean;
  headers: Record<string, string | string[] | undefined>;
  tokens: AgentTokens;
}

export interface AgentModel {
  url: string;
  /** For ANTHROPIC_BASE_URL (the CLI appends /v1/messages). */
  anthropicBaseUrl: string;
  /** For Codex's `openai_base_url` (it appends /responses). */
  openaiBaseUrl: string;
  requests: AgentModelRequest[];
  /** Every turn the script played, with the tool output it was shown (what reached the model). */
  turns: AgentTurn[];
  close(): Promise<void>;
}

/** A script that writes `files`, runs `testCommand`, then finishes; the common case. */
export function editAndTest(files: Record<string, string>, testCommand: string, summary = "Done."): AgentScript {
  const writes = Object.entries(files).map(([path, content]): AgentAction => ({ kind: "write", path, content }));
  return ({ turn, lastOutput }) => {
    if (turn < writes.length) return writes[turn]!;
    if (turn === writes.length) return { kind: "run", command: testCommand };
    return { kind: "final", text: `${summary}\n\nTest output:\n${(lastOutput ?? "").slice(0, 500)}` };
  };
}

/** Start on 127.0.0.1 (port 0 = any free port). */
export async function startAgentModel(options: { script: AgentScript; port?: number; model?: string }): Promise<AgentModel> {
  const requests: AgentModelRequest[] = [];
  const turns: AgentTurn[] = [];
  const script: AgentScript = (turn) => {
    turns.push(turn);
    return options.script(turn);
  };
  let counter = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify(anthropicError(String(error))));
    });
  });
  // Codex tries a Responses WebSocket first; refusing the upgrade with a plain HTTP status
  // makes it fall back to HTTPS streaming (agent-clis.md, "Transport").
  server.on("upgrade", (_req, socket) => {
    socket.end("HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "HEAD" || (req.method === "GET" && (path === "/" || path === "/v1"))) return void res.writeHead(200).end();
    const body = (await readJson(req)) as Record<string, unknown> | null;
    if (req.method !== "POST" || !body) return json(res, 404, anthropicError(`no route ${req.method} ${path}`, "not_found_error"));
    const model = typeof body.model === "string" ? body.model : (options.model ?? "fake");
    const id = `fake${++counter}`;
    if (path === "/v1/messages/count_tokens") return json(res, 200, { input_tokens: estimate(JSON.stringify(body.messages ?? "")) });
    if (path === "/v1/messages") {
      const agentTurn = Array.isArray(body.tools) && body.tools.length > 0;
      const blocks = agentTurn ? anthropicTurn(body, script, id) : [{ type: "text" as const, text: "Architect task" }];
      const tokens = { input: estimate(JSON.stringify(body.messages ?? "") + JSON.stringify(body.system ?? "")), output: estimate(JSON.stringify(blocks)) };
      requests.push({ api: "anthropic", path, model, agentTurn, headers: { ...req.headers }, tokens });
      if (body.stream === true) return sse(res, sseBody(anthropicStream(`msg_${id}`, model, blocks, tokens)));
      return json(res, 200, anthropicMessage(`msg_${id}`, model, blocks, tokens));
    }
    if (path === "/v1/responses") {
      const items = openaiTurn(body, script, id);
      const tokens = { input: estimate(JSON.stringify(body.input ?? "") + JSON.stringify(body.instructions ?? "")), output: estimate(JSON.stringify(items)) };
      requests.push({ api: "openai", path, model, agentTurn: true, headers: { ...req.headers }, tokens });
      return sse(res, sseBody(responsesStream(`resp_${id}`, model, items, tokens, 1_767_225_600)));
    }
    return json(res, 404, anthropicError(`no route POST ${path}`, "not_found_error"));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    turns,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- Anthropic (Claude Code)

interface AnthropicContent {
  type?: string;
  text?: string;
  id?: string;
  name?: string;
  input?: Record<string, unknown>;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}
interface AnthropicMessage {
  role?: string;
  content?: string | AnthropicContent[];
}

/** A Write refused because the file was not read first: Claude Code wants a Read before overwriting. */
const NOT_READ = /not been read|read it first/i;

function anthropicTurn(body: Record<string, unknown>, script: AgentScript, id: string): AnthropicBlock[] {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as AnthropicMessage[];
  const blocks = (m: AnthropicMessage): AnthropicContent[] => (typeof m.content === "string" ? [{ type: "text", text: m.content }] : (m.content ?? []));
  const results = new Map<string, AnthropicContent>();
  for (const m of messages) for (const b of blocks(m)) if (b.type === "tool_result" && b.tool_use_id) results.set(b.tool_use_id, b);
  const calls = messages.filter((m) => m.role === "assistant").flatMap((m) => blocks(m).filter((b) => b.type === "tool_use"));
  const last = calls.at(-1);
  const lastResult = last?.id ? results.get(last.id) : undefined;
  const lastOutput = lastResult ? contentText(lastResult.content) : null;
  // The extra Read before an overwrite is the server's, not the script's: it does not count as a turn.
  const counted = calls.filter((c) => c.name !== "Read" && !(c.name === "Write" && NOT_READ.test(contentText(results.get(c.id ?? "")?.content))));
  const prompt = messages
    .filter((m) => m.role === "user")
    .flatMap((m) => blocks(m).filter((b) => b.type === "text").map((b) => b.text ?? ""))
    .join("\n");
  const system = typeof body.system === "string" ? body.system : JSON.stringify(body.system ?? "");
  const cwd = /Working directory: ([^\n"\\]+)/.exec(system + "\n" + prompt)?.[1]?.trim() ?? null;
  const toolId = `toolu_${id}`;
  if (last?.name === "Write" && NOT_READ.test(lastOutput ?? "")) {
    return [{ type: "tool_use", id: toolId, name: "Read", input: { file_path: String(last.input?.file_path ?? "") } }];
  }
  const action = script({ api: "anthropic", turn: counted.length, prompt, lastOutput: last?.name === "Read" ? null : lastOutput, cwd });
  switch (action.kind) {
    case "write":
      return [{ type: "tool_use", id: toolId, name: "Write", input: { file_path: absolute(cwd, action.path), content: action.content } }];
    case "run":
      return [{ type: "tool_use", id: toolId, name: "Bash", input: { command: action.command, description: `Run ${action.command}` } }];
    case "final":
      return [{ type: "text", text: action.text }];
  }
}

// ---- OpenAI Responses (Codex)

interface ResponsesInput {
  type?: string;
  role?: string;
  name?: string;
  call_id?: string;
  output?: unknown;
  content?: unknown;
  tools?: unknown;
}

function openaiTurn(body: Record<string, unknown>, script: AgentScript, id: string): ResponsesItem[] {
  const input = (Array.isArray(body.input) ? body.input : []) as ResponsesInput[];
  const calls = input.filter((i) => i.type === "function_call" || i.type === "custom_tool_call");
  const outputs = input.filter((i) => i.type === "function_call_output" || i.type === "custom_tool_call_output");
  const lastOutput = calls.length > 0 && outputs.length > 0 ? contentText(outputs.at(-1)?.output) : null;
  const prompt = input
    .filter((i) => i.type === "message" && i.role === "user")
    .map((i) => contentText(i.content))
    .join("\n");
  const cwd = /<cwd>([^<]+)<\/cwd>/.exec(prompt)?.[1]?.trim() ?? null;
  const tools = offeredTools(body, input);
  const action = script({ api: "openai", turn: calls.length, prompt, lastOutput, cwd });
  const callId = `call_${id}`;
  if (action.kind === "final") return [{ type: "message", text: action.text }];
  if (tools.has("exec")) {
    // "Code mode": one freeform tool whose input is JavaScript calling the nested tools.
    return [{ type: "custom_tool_call", callId, name: "exec", input: codeModeProgram(action) }];
  }
  if (action.kind === "write") {
    const patch = addFilePatch(action.path, action.content);
    return tools.has("apply_patch:custom")
      ? [{ type: "custom_tool_call", callId, name: "apply_patch", input: patch }]
      : [{ type: "function_call", callId, name: "apply_patch", arguments: JSON.stringify({ input: patch }) }];
  }
  const shell = ["exec_command", "shell_command", "shell"].find((name) => tools.has(name)) ?? "shell";
  const args = shell === "exec_command" ? { cmd: action.command } : shell === "shell_command" ? { command: action.command } : { command: ["bash", "-lc", action.command] };
  return [{ type: "function_call", callId, name: shell, arguments: JSON.stringify(args) }];
}

/** Tool names the request offers (top-level `tools` and `additional_tools` items, namespaces flattened). */
function offeredTools(body: Record<string, unknown>, input: readonly ResponsesInput[]): Set<string> {
  const names = new Set<string>();
  const visit = (tools: unknown) => {
    if (!Array.isArray(tools)) return;
    for (const t of tools as { type?: string; name?: string; tools?: unknown }[]) {
      if (t.type === "namespace") visit(t.tools);
      else if (t.name) names.add(t.type === "custom" && t.name === "apply_patch" ? "apply_patch:custom" : t.name);
    }
  };
  visit(body.tools);
  for (const item of input) if (item.type === "additional_tools") visit(item.tools);
  return names;
}

function addFilePatch(path: string, content: string): string {
  const lines = content.endsWith("\n") ? content.slice(0, -1).split("\n") : content.split("\n");
  return ["*** Begin Patch", `*** Add File: ${path}`, ...lines.map((l) => `+${l}`), "*** End Patch", ""].join("\n");
}

/** The JavaScript a code-mode turn sends: replace a file (delete, then add) or run a command and report its output. */
function codeModeProgram(action: Exclude<AgentAction, { kind: "final" }>): string {
  if (action.kind === "run") {
    return [
      `const r = await tools.exec_command({ cmd: ${JSON.stringify(action.command)}, yield_time_ms: 30000 });`,
      `text(\`exit code: \${r.exit_code}\\n\${r.output}\`);`,
    ].join("\n");
  }
  const remove = ["*** Begin Patch", `*** Delete File: ${action.path}`, "*** End Patch", ""].join("\n");
  return [
    `try { await tools.apply_patch(${JSON.stringify(remove)}); } catch {}`,
    `const r = await tools.apply_patch(${JSON.stringify(addFilePatch(action.path, action.content))});`,
    `text(r);`,
  ].join("\n");
}

// ---- helpers

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((c: { text?: unknown }) => (typeof c?.text === "string" ? c.text : typeof c === "string" ? c : "")).join("\n");
  if (content && typeof content === "object" && "text" in content) return String((content as { text: unknown }).text);
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

function absolute(cwd: string | null, path: string): string {
  if (path.startsWith("/") || !cwd) return path;
  return `${cwd.replace(/\/+$/, "")}/${path}`;
}

/** About four characters per token: deterministic, close enough for cost tests. */
function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function sse(res: ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "close" }).end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
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
