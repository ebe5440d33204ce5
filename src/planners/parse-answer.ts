/**
 * A model's answer must be exactly one JSON object. Code fences or prose around it are
 * rejected (BI-5) with a message the repair round sends back, rather than guessed at:
 * a lenient extractor would accept text the model did not mean as the plan.
 */
export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; problem: string };

/** Parse a model's answer into a JSON value, or say precisely why it is not one. */
export function parseModelAnswer(text: string): ParsedAnswer {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "the answer was empty; answer with the plan JSON object" };
  if (trimmed.startsWith("```")) {
    return { ok: false, problem: "the answer is wrapped in a Markdown code fence; answer with the bare JSON object only" };
  }
  if (!trimmed.startsWith("{")) {
    return { ok: false, problem: "the answer does not start with '{'; answer with the JSON object only, no prose before it" };
  }
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `the answer is not valid JSON (${detail}); answer with one complete JSON object` };
  }
}
