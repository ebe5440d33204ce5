/**
 * The exact response bodies the official clients parse: OpenAI chat completions
 * (`POST /v1/chat/completions`) and Ollama chat (`POST /api/chat`, non-streaming).
 * Kept apart from the server so tests with nock can reuse the same shapes.
 */

/** Token counts a fake answer reports. */
export interface FakeTokens {
  input: number;
  output: number;
}

/** What an answer says, independent of the wire format. */
export interface FakeAnswer {
  content: string | null;
  refusal?: string | null;
  finish: "stop" | "length";
}

/** Fixed timestamps keep recorded responses reproducible. */
const CREATED_SECONDS = 1_767_225_600; // 2026-01-01T00:00:00Z

/** An OpenAI `chat.completion` object. */
export function openAiCompletion(model: string, answer: FakeAnswer, tokens: FakeTokens, id = "chatcmpl-fake"): Record<string, unknown> {
  return {
    id,
    object: "chat.completion",
    created: CREATED_SECONDS,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.content, refusal: answer.refusal ?? null, annotations: [] },
        finish_reason: answer.finish,
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: tokens.input,
      completion_tokens: tokens.output,
      total_tokens: tokens.input + tokens.output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

/** An OpenAI error body, as the API sends it with a 4xx/5xx status. */
export function openAiError(message: string, type = "server_error"): Record<string, unknown> {
  return { error: { message, type, param: null, code: null } };
}

/** An Ollama non-streaming `/api/chat` response. Ollama has no refusal field: a refusal is just text. */
export function ollamaChat(model: string, answer: FakeAnswer, tokens: FakeTokens): Record<string, unknown> {
  return {
    model,
    created_at: new Date(CREATED_SECONDS * 1000).toISOString(),
    message: { role: "assistant", content: answer.content ?? answer.refusal ?? "" },
    done: true,
    done_reason: answer.finish,
    total_duration: 1_500_000_000,
    load_duration: 20_000_000,
    prompt_eval_count: tokens.input,
    prompt_eval_duration: 300_000_000,
    eval_count: tokens.output,
    eval_duration: 1_100_000_000,
  };
}

/** An Ollama error body (`{ "error": "…" }`) as sent with a 4xx/5xx status. */
export function ollamaError(message: string): Record<string, unknown> {
  return { error: message };
}
