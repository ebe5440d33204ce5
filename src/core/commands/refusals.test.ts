import { describe, expect, it } from "vitest";
import { encodeMarker } from "../markers/markers.js";
import { REFUSAL_WINDOW_MS, refusedRecently, type SeenComment } from "./refusals.js";

const BOT = "architect[bot]";
const NOW = 10 * REFUSAL_WINDOW_MS;

const refusal = (user: string | undefined, ageMs: number, author = BOT, topic = "denied"): SeenComment => ({
  author,
  body: `@${user ?? "legacy"} only people with write access…\n\n${encodeMarker("reply", user === undefined ? { to: 1, topic } : { to: 1, topic, user })}`,
  createdAt: NOW - ageMs,
});

describe("refusedRecently (read from Architect's own refusals on the issue)", () => {
  it.each<[string, SeenComment[], boolean]>([
    ["no refusal yet", [], false],
    ["refused this person an hour ago", [refusal("stranger", 3_600_000)], true],
    ["refused this person, login in another case", [refusal("Stranger", 1_000)], true],
    ["refused someone else", [refusal("other", 1_000)], false],
    ["refused this person a day ago", [refusal("stranger", REFUSAL_WINDOW_MS)], false],
    ["an older refusal without the person in its marker (its mention names them)", [{ ...refusal(undefined, 1_000), body: refusal(undefined, 1_000).body.replace("@legacy", "@stranger") }], true],
    ["a reply on another topic", [refusal("stranger", 1_000, BOT, "config")], false],
    ["a forged refusal by someone else", [refusal("stranger", 1_000, "stranger")], false],
  ])("%s", (_name, comments, expected) => {
    expect(refusedRecently(comments, BOT, "stranger", NOW)).toBe(expected);
  });
});
