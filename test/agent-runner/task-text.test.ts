import { describe, expect, it } from "vitest";
import { extractAcceptance } from "../../src/agent-runner/task-text.js";

describe("extractAcceptance", () => {
  it.each([
    ["items under an Acceptance heading", "Intro\n\n## Acceptance criteria\n- tests pass\n- [ ] docs updated\n\n## Notes\n- not this", ["tests pass", "docs updated"]],
    ["numbered items", "### Acceptance\n1. one\n2) two", ["one", "two"]],
    ["checkboxes anywhere when there is no heading", "Do it.\n- [ ] first\n- [x] second\n- plain bullet", ["first", "second"]],
    ["an empty Acceptance section falls back to checkboxes", "## Acceptance\n\n## Other\n- [ ] box", ["box"]],
    ["nothing", "Just prose.", []],
  ])("finds %s", (_label, body, expected) => {
    expect(extractAcceptance(body)).toEqual(expected);
  });
});
