/**
 * Every `/architect` command, declared as data: the parser, the help text, the docs test
 * and the permission check all read this one table, so a new command cannot be half added.
 */

/** The verbs Architect obeys; anything else parses as `unknown` and is answered with help. */
export type CommandVerb = "plan" | "replan" | "approve" | "status" | "retry" | "cancel" | "pause" | "resume" | "doctor" | "help";

/** One command as data, so parsing, help, docs and permissions cannot drift apart. */
export interface CommandSpec {
  verb: CommandVerb;
  /** How to type it, shown in help. */
  usage: string;
  description: string;
  /**
   * It changes what Architect does (plans, approves, dispatches, cancels). Every command,
   * mutating or not, is obeyed only from people with write access (docs/commands.md): the
   * others write too (a status refresh, a report, an answer).
   */
  mutates: boolean;
  /** Accepts an optional `#<issue>` argument naming one task. */
  takesIssue: boolean;
}

/** Every command starts with this on its own line (see parse-commands.ts). */
export const COMMAND_PREFIX = "/architect";

/** The registry, in the order help lists it. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    verb: "plan",
    usage: "/architect plan",
    description: "Plan this milestone into task sub-issues (from the `## Tasks` list, or with the configured model).",
    mutates: true,
    takesIssue: false,
  },
  {
    verb: "replan",
    usage: "/architect replan",
    description: "Plan again after the description changed; finished tasks are kept, removed tasks are closed as not planned.",
    mutates: true,
    takesIssue: false,
  },
  {
    verb: "approve",
    usage: "/architect approve",
    description: "Approve the previewed plan (creates the sub-issues) or let spending continue past the budget.",
    mutates: true,
    takesIssue: false,
  },
  {
    verb: "status",
    usage: "/architect status",
    description: "Refresh the status comment now.",
    mutates: false,
    takesIssue: false,
  },
  {
    verb: "retry",
    usage: "/architect retry [#issue]",
    description: "Give a failed task (or every failed task) another attempt.",
    mutates: true,
    takesIssue: true,
  },
  {
    verb: "cancel",
    usage: "/architect cancel [#issue]",
    description: "Cancel one task's run, or stop the whole milestone: running agents are cancelled and nothing new starts.",
    mutates: true,
    takesIssue: true,
  },
  {
    verb: "pause",
    usage: "/architect pause",
    description: "Start no new agent runs; running ones finish and their PRs still merge.",
    mutates: true,
    takesIssue: false,
  },
  {
    verb: "resume",
    usage: "/architect resume",
    description: "Undo `pause`.",
    mutates: true,
    takesIssue: false,
  },
  {
    verb: "doctor",
    usage: "/architect doctor",
    description: "Check the setup: branch protection, the required `architect/dag` check, labels, agent workflows, configuration.",
    mutates: false,
    takesIssue: false,
  },
  {
    verb: "help",
    usage: "/architect help",
    description: "Show this list.",
    mutates: false,
    takesIssue: false,
  },
];

/** The spec of a verb, or undefined when it is not a command. */
export function commandSpec(verb: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.verb === verb);
}

/**
 * The reply to `/architect help`, built from the table so it can never list a command
 * that does not exist or miss one that does.
 */
export function renderHelp(commands: readonly CommandSpec[] = COMMANDS): string {
  const rows = commands.map((c) => `| \`${c.usage}\` | ${c.description}${c.mutates ? "" : " _(anyone)_"} |`);
  return [
    "**Architect commands** — write one on its own line in a comment on the milestone issue.",
    "",
    "| command | what it does |",
    "| --- | --- |",
    ...rows,
    "",
    "Commands not marked _(anyone)_ are obeyed only from people with write access to the repository.",
  ].join("\n");
}
