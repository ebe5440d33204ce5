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

const COMMAND_LINE = /^\s*\/architect(?:\s+(.*?))?\s*$/i;

/** Every command in a comment body, in order. */
export function parseCommands(body: string): Command[] {
  const out: Command[] = [];
  let fence: string | null = null;
  let inHtmlComment = false;
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = null;
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      continue;
    }
    if (inHtmlComment) {
      if (line.includes("-->")) inHtmlComment = false;
      continue;
    }
    if (/<!--/.test(line) && !/<!--[\s\S]*-->/.test(line.slice(line.indexOf("<!--")))) {
      inHtmlComment = true;
      continue;
    }
    const m = COMMAND_LINE.exec(line);
    if (!m) continue;
    out.push(toCommand((m[1] ?? "").trim()));
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
