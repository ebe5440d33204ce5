import { COMMANDS, type CommandSpec } from "./command-registry.js";

/**
 * The reply to `/architect help` (and to an unknown or mistyped command), built from the
 * registry so it can never list a command that does not exist or miss one that does.
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

/** The answer to a command that is not known: name it (shown as code) and show the list. */
export function renderUnknownCommand(verb: string): string {
  const shown = verb.replace(/[`\r\n]/g, "").slice(0, 40);
  return `\`/architect ${shown}\` is not a command I know.\n\n${renderHelp()}`;
}
