import { renderHelp } from "./command-registry.js";

/** Re-exported so help and unknown-command replies come from one module. */
export { renderHelp };

/**
 * The answer to a command that is not known: name it (as code, so it can neither mention
 * anyone nor be re-read as a command) and show the list.
 */
export function renderUnknownCommand(verb: string): string {
  const shown = verb.replace(/[`\r\n]/g, "").slice(0, 40);
  return `\`/architect ${shown}\` is not a command I know.\n\n${renderHelp()}`;
}
