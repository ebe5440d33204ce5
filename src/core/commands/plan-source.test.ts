import { describe, expect, it } from "vitest";
import type { BodyEdit, IssueFacts } from "../decide/snapshot.js";
import { approvalSourceRefusal, planSourceRefusal, type EditorAccess } from "./plan-source.js";

const COMMAND_AT = Date.parse("2026-12-04T12:00:00Z");
const at = (seconds: number) => COMMAND_AT + seconds * 1000;
const edit = (by: string, seconds: number): BodyEdit => ({ by, byBot: false, at: at(seconds) });

function milestone(lastEdit: BodyEdit | null, bodyEdits: BodyEdit[] = lastEdit ? [lastEdit] : []): IssueFacts {
  return { number: 1, id: 1, nodeId: "I_1", title: "M", body: "b", state: "open", stateReason: null, labels: [], author: "stranger", lastEdit, bodyEdits };
}

describe("planSourceRefusal", () => {
  it.each<[string, IssueFacts, EditorAccess, RegExp | null]>([
    ["never edited (the text as created)", milestone(null), null, null],
    ["edits not read (not a milestone read)", { ...milestone(null), lastEdit: undefined, bodyEdits: undefined }, null, null],
    ["last edited by a writer before the command", milestone(edit("maintainer", -60)), "write", null],
    ["last edited by a writer in the command's second", milestone(edit("maintainer", 0)), "write", null],
    ["last edited by a non-writer before the command", milestone(edit("stranger", -60)), "none", /last edited by `@stranger` at 2026-12-04T11:59:00Z, who does not have write access/],
    ["edited by a non-writer after the command", milestone(edit("stranger", 5)), "none", /changed after the command was written:\n\n- edited by `@stranger` at 2026-12-04T12:00:05Z/],
    ["edited by a writer after the command", milestone(edit("maintainer", 5)), "write", /- edited by `@maintainer` at 2026-12-04T12:00:05Z/],
    [
      "a stranger's edit after the command hidden behind a writer's later one",
      milestone(edit("maintainer", 9), [edit("maintainer", 9), edit("stranger", 5), edit("stranger", -30)]),
      "write",
      /- edited by `@maintainer` at 2026-12-04T12:00:09Z\n- edited by `@stranger` at 2026-12-04T12:00:05Z\n\n/,
    ],
  ])("%s", (_name, issue, access, refusal) => {
    const out = planSourceRefusal(issue, "plan", COMMAND_AT, access);
    if (refusal === null) expect(out).toBeNull();
    else {
      expect(out).toMatch(refusal);
      expect(out).toContain("`/architect plan` again");
    }
  });

  it("names the command to run again", () => {
    expect(planSourceRefusal(milestone(edit("stranger", 5)), "replan", COMMAND_AT, "none")).toContain("`/architect replan` again");
  });

  it("names a bot editor without pinging it", () => {
    const out = planSourceRefusal(milestone({ by: "other-app[bot]", byBot: true, at: at(-5) }), "plan", COMMAND_AT, "none");
    expect(out).toContain("`@other-app[bot]`");
  });
});

describe("approvalSourceRefusal", () => {
  it("approves while the text hashes as it did", () => {
    expect(approvalSourceRefusal(milestone(null), "abc", "abc")).toBeNull();
  });

  it("refuses after a change and says who edited last", () => {
    expect(approvalSourceRefusal(milestone(edit("stranger", 5)), "abc", "def")).toMatch(/changed after this plan was made \(last edited by `@stranger` at .*Nothing was approved.*`\/architect replan`/s);
  });

  it("refuses a plan that recorded no text (made before the check existed)", () => {
    expect(approvalSourceRefusal(milestone(null), undefined, "def")).toMatch(/does not record which text.*Nothing was approved/s);
  });
});
