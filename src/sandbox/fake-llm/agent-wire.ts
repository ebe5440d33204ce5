/**
 * The streamed wire formats the real agent CLIs parse, as measured in
 * ../shared/reference/agent-clis.md (kept in the repository's docs as docs/agents.md):
 * - Claude Code: Anthropic Messages API, `POST /v1/messages` with `stream: true`, events
 *   `message_start` → per block `content_block_start` / `content_block_delta` /
 *   `content_block_stop` → `message_delta` (stop reason, usage) → `message_stop`.
 * - Codex: OpenAI Responses API, `POST /v1/responses` streamed as `response.created`,
 *   `response.output_item.added`, `response.output_text.delta`, `response.output_item.done`,
 *   `response.completed` (with `usage`).
 * Pure builders: the server decides what to say, these only spell it.
 */

/** One server-sent event: its name and JSON payload. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Serialize events as an SSE body. */
export function sseBody(events: readonly SseEvent[]): string {
  return events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("");
}

/** Token counts one answer reports. */
export interface AgentTokens {
  input: number;
  output: number;
}

/** A content block of an Anthropic assistant message. */
export type AnthropicBlock = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** An Anthropic assistant message, streamed. */
export function anthropicStream(id: string, model: string, blocks: readonly AnthropicBlock[], tokens: AgentTokens): SseEvent[] {
  const stopReason = blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
  const events: SseEvent[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id,
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: tokens.input, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
    },
  ];
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } } });
    } else {
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } },
      });
      events.push({
        event: "content_block_delta",
        data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } },
      });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push({
    event: "message_delta",
    data: { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: tokens.output } },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

/** The same message as a non-streamed JSON body (for the CLIs' side requests without `stream`). */
export function anthropicMessage(id: string, model: string, blocks: readonly AnthropicBlock[], tokens: AgentTokens): Record<string, unknown> {
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content: blocks,
    stop_reason: blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: tokens.input, output_tokens: tokens.output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

/** An Anthropic error body. */
export function anthropicError(message: string, type = "api_error"): Record<string, unknown> {
  return { type: "error", error: { type, message } };
}

/** An item of a Responses API output. */
export type ResponsesItem =
  | { type: "message"; text: string }
  | { type: "function_call"; callId: string; name: string; arguments: string }
  | { type: "custom_tool_call"; callId: string; name: string; input: string };

function itemJson(item: ResponsesItem, id: string, done: boolean): Record<string, unknown> {
  const status = done ? "completed" : "in_progress";
  switch (item.type) {
    case "message":
      return { type: "message", id, status, role: "assistant", content: done ? [{ type: "output_text", text: item.text, annotations: [] }] : [] };
    case "function_call":
      return { type: "function_call", id, status, call_id: item.callId, name: item.name, arguments: done ? item.arguments : "" };
    case "custom_tool_call":
      return { type: "custom_tool_call", id, status, call_id: item.callId, name: item.name, input: done ? item.input : "" };
  }
}

/** A Responses API response, streamed. */
export function responsesStream(id: string, model: string, items: readonly ResponsesItem[], tokens: AgentTokens, createdAt: number): SseEvent[] {
  let seq = 0;
  const base = { id, object: "response", created_at: createdAt, model, parallel_tool_calls: false, tool_choice: "auto", tools: [] };
  const events: SseEvent[] = [{ event: "response.created", data: { type: "response.created", sequence_number: seq++, response: { ...base, status: "in_progress", output: [] } } }];
  const output: Record<string, unknown>[] = [];
  items.forEach((item, index) => {
    const itemId = `${item.type === "message" ? "msg" : "fc"}_${id}_${index}`;
    events.push({ event: "response.output_item.added", data: { type: "response.output_item.added", sequence_number: seq++, output_index: index, item: itemJson(item, itemId, false) } });
    if (item.type === "message") {
      events.push({
        event: "response.output_text.delta",
        data: { type: "response.output_text.delta", sequence_number: seq++, item_id: itemId, output_index: index, content_index: 0, delta: item.text },
      });
    }
    const done = itemJson(item, itemId, true);
    output.push(done);
    events.push({ event: "response.output_item.done", data: { type: "response.output_item.done", sequence_number: seq++, output_index: index, item: done } });
  });
  events.push({
    event: "response.completed",
    data: {
      type: "response.completed",
      sequence_number: seq++,
      response: {
        ...base,
        status: "completed",
        output,
        usage: {
          input_tokens: tokens.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: tokens.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: tokens.input + tokens.output,
        },
      },
    },
  });
  return events;
}
