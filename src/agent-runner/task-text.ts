/**
 * Pulls the acceptance criteria out of a task body so the prompt can list them on their own,
 * after the body: the agent should finish with them in view. Works on sanitized text.
 */

const HEADING = /^#{1,6}\s+(.*)$/;
const ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$/;
const CHECKBOX = /^\s*[-*+]\s+\[[ xX]\]\s+(.*\S)\s*$/;

/**
 * The list items under a heading that mentions "acceptance" (until the next heading);
 * failing that, every checkbox item in the body; failing that, none.
 */
export function extractAcceptance(body: string): string[] {
  const lines = body.split("\n");
  const start = lines.findIndex((line) => /acceptance/i.test(HEADING.exec(line)?.[1] ?? ""));
  if (start >= 0) {
    const items: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (HEADING.test(line)) break;
      const item = ITEM.exec(line)?.[1];
      if (item) items.push(item);
    }
    if (items.length > 0) return items;
  }
  return lines.flatMap((line) => {
    const item = CHECKBOX.exec(line)?.[1];
    return item ? [item] : [];
  });
}
