import { fenceTracker, splitLines } from "../markdown/lines.js";
import { commandSpec, type CommandVerb } from "./command-registry.js";

/**
 * Comments are read for `/architect <verb> [args]`. Only a command a person typed on its
 * own line counts: quoted replies (`>`), fenced code, hidden HTML comments and inline
 * mentions (`` `/architect plan` ``, "run /architect plan") are text, never commands, so
 * quoting someone or documenting a command never re-triggers it.
 */

/** Verbs that take no argument. */
type SimpleVerb = Exclude<CommandVerb, "retry" | "cancel">;

/** A parsed command, discriminated on `kind`; the shell switches on it exhaustively. */
export type Command =
  | { kind: SimpleVerb }
  /** `issue` null = every failed task (retry) or the whole milestone (cancel). */
  | { kind: "retry" | "cancel"; issue: number | null }
  /** A known verb whose arguments could not be read; `message` says how to type it. */
  | { kind: "invalid"; verb: CommandVerb; message: string }
  | { kind: "unknown"; verb: string };

// Matched against the trimmed line: a lazy `(.*?)` followed by `\s*$` backtracks
// quadratically on long runs of spaces (a 64 KB comment took seconds).
const COMMAND_LINE = /^\/architect(?:\s|$)/i;
const LINE_SEPARATORS = /[\u2028\u2029]/;

/** Every command in a comment body, in order. */
export function parseCommands(body: string): Command[] {
  const out: Command[] = [];
  const fences = fenceTracker();
  let inHtmlComment = false;
  for (const line of splitLines(body)) {
    if (fences.inCode(line)) continue;
    if (inHtmlComment) {
      if (line.includes("-->")) inHtmlComment = false;
      continue;
    }
    // indexOf, not a regex: `<!--[\s\S]*-->` is quadratic on a line of repeated `<!--`.
    const open = line.indexOf("<!--");
    if (open >= 0 && line.indexOf("-->", open + 4) < 0) {
      inHtmlComment = true;
      continue;
    }
    const trimmed = line.trim();
    if (!COMMAND_LINE.test(trimmed)) continue;
    const rest = trimmed.slice("/architect".length).trim();
    if (LINE_SEPARATORS.test(rest)) continue; // as before: arguments never span a Unicode line break
    out.push(toCommand(rest));
  }
  return out;
}

function toCommand(rest: string): Command {
  const [rawVerb = "", ...args] = rest.split(/\s+/).filter((w) => w !== "");
  // A bare `/architect` asks for help; trailing punctuation ("plan.") is forgiven.
  const verb = rawVerb.toLowerCase().replace(/[.!,;:]+$/, "") || "help";
  const spec = commandSpec(verb);
  if (!spec) return { kind: "unknown", verb: verb.slice(0, 40) };
  if (!spec.takesIssue) return { kind: spec.verb as SimpleVerb };
  const kind = spec.verb as "retry" | "cancel";
  const arg = args[0];
  if (arg === undefined) return { kind, issue: null };
  const n = /^#?([1-9]\d{0,8})$/.exec(arg);
  if (!n || args.length > 1) return { kind: "invalid", verb: kind, message: `usage: ${spec.usage}` };
  return { kind, issue: Number(n[1]) };
}
