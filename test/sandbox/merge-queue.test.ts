import { describe, expect, it } from "vitest";
import { World, type WorldEvent } from "../../src/sandbox/emulator/state.js";
import { setupRepo } from "../../src/sandbox/actors/maintainer.js";
import { ManualClock } from "./manual-clock.js";

/** The emulator's merge queue and rulesets, through the world's own methods. */
function setup(options: { mergeQueue?: boolean; protection?: "classic" | "rulesets" } = {}) {
  const world = new World({ clock: new ManualClock() });
  const events: WorldEvent[] = [];
  world.subscribe((e) => events.push(e));
  const { repo, maintainer } = setupRepo(world, { requiredChecks: ["ci/test"], requiredApprovals: 0, mergeQueue: options.mergeQueue ?? true, protection: options.protection });
  const ci = world.createApp({ slug: "ci" });
  const dev = world.setCollaborator(repo, "dev", "write");
  const open = (branch: string, file: string, content = "x\n") => {
    world.pushCommit(repo, branch, { [file]: content }, `change ${file}`, dev);
    return world.openPull(repo, { title: branch, body: "", head: branch, base: "main", user: dev });
  };
  const green = (sha: string, conclusion: "success" | "failure" = "success") => world.createCheckRun(repo, ci, { name: "ci/test", headSha: sha, conclusion });
  return { world, repo, maintainer, dev, events, open, green };
}

describe("emulator: a required merge queue", () => {
  it("refuses a direct merge with GitHub's 405 text", () => {
    const { world, repo, maintainer, open, green } = setup();
    const pull = open("feature", "a.txt");
    green(pull.headSha);
    expect(() => world.mergePull(repo, pull, {}, maintainer)).toThrow(expect.objectContaining({ status: 405, message: "Changes must be made through the merge queue" }));
  });

  it("builds a group on the base, announces it, and merges it once its required checks are green", () => {
    const { world, repo, maintainer, events, open, green } = setup();
    const pull = open("feature", "a.txt");
    green(pull.headSha);
    const entry = world.enqueuePull(repo, pull, { expectedHeadOid: pull.headSha }, maintainer);
    expect(events.filter((e) => e.name === "pull_request").map((e) => e.action)).toContain("enqueued");
    const requested = events.find((e) => e.name === "merge_group" && e.action === "checks_requested");
    expect(requested?.data.mergeGroup?.headSha).toBe(entry.group?.headSha);
    expect(repo.branches.get(entry.group!.headRef)).toBe(entry.group!.headSha);
    expect(pull.merged).toBe(false);
    const group = entry.group!;
    green(group.headSha);
    expect(pull.merged).toBe(true);
    expect(pull.mergeCommitSha).toBe(group.headSha);
    expect(repo.branches.get("main")).toBe(group.headSha);
    expect(repo.mergeQueue).toEqual([]);
    expect([...repo.branches.keys()].some((b) => b.startsWith("gh-readonly-queue/"))).toBe(false);
    expect(events.filter((e) => e.name === "merge_group").map((e) => [e.action, e.data.reason ?? null])).toEqual([
      ["checks_requested", null],
      ["destroyed", "merged"],
    ]);
  });

  it("stacks the second group on the first, and rebuilds it when the first fails", () => {
    const { world, repo, maintainer, events, open, green } = setup();
    const first = open("one", "one.txt");
    const second = open("two", "two.txt");
    green(first.headSha);
    green(second.headSha);
    const a = world.enqueuePull(repo, first, {}, maintainer);
    const b = world.enqueuePull(repo, second, {}, maintainer);
    expect(b.group!.baseSha).toBe(a.group!.headSha);
    green(a.group!.headSha, "failure");
    expect(first.queueRemovals.map((r) => [r.reason, r.beforeCommit])).toEqual([["CI_FAILURE", first.headSha]]);
    expect(events.some((e) => e.name === "pull_request" && e.action === "dequeued" && e.data.reason === "CI_FAILURE")).toBe(true);
    expect(b.group!.baseSha).toBe(repo.branches.get("main"));
    green(b.group!.headSha);
    expect(second.merged).toBe(true);
    expect(first.merged).toBe(false);
  });

  it("refuses to enqueue a PR whose own required checks have not passed", () => {
    const { world, repo, maintainer, open } = setup();
    const pull = open("feature", "a.txt");
    expect(() => world.enqueuePull(repo, pull, {}, maintainer)).toThrow(/not mergeable/);
  });
});

describe("emulator: rulesets", () => {
  it("protect a branch like classic protection: required checks and approvals block the merge", () => {
    const { world, repo, maintainer, open, green } = setup({ mergeQueue: false, protection: "rulesets" });
    expect(repo.protections.size).toBe(0);
    expect(world.rulesForBranch(repo, "main").map((r) => r.rule.type)).toEqual(["required_status_checks", "pull_request"]);
    expect(world.rulesForBranch(repo, "other")).toEqual([]);
    const pull = open("feature", "a.txt");
    expect(world.mergeCheck(repo, pull).blockers).toEqual(['Required status check "ci/test" is expected.']);
    green(pull.headSha);
    expect(world.mergePull(repo, pull, {}, maintainer).merged).toBe(true);
  });
});

describe("emulator: strict up-to-date and update-branch", () => {
  it("blocks a PR behind its base, brings it up to date with update-branch, and refuses a stale head or nothing to do", () => {
    const world = new World({ clock: new ManualClock() });
    const events: WorldEvent[] = [];
    world.subscribe((e) => events.push(e));
    const { repo, maintainer } = setupRepo(world, { requiredChecks: ["ci/test"], requiredApprovals: 0, strict: true });
    const ci = world.createApp({ slug: "ci" });
    const dev = world.setCollaborator(repo, "dev", "write");
    world.pushCommit(repo, "one", { "one.txt": "1\n" }, "one", dev);
    world.pushCommit(repo, "two", { "two.txt": "2\n" }, "two", dev);
    const one = world.openPull(repo, { title: "one", body: "", head: "one", base: "main", user: dev });
    const two = world.openPull(repo, { title: "two", body: "", head: "two", base: "main", user: dev });
    world.createCheckRun(repo, ci, { name: "ci/test", headSha: one.headSha, conclusion: "success" });
    world.createCheckRun(repo, ci, { name: "ci/test", headSha: two.headSha, conclusion: "success" });
    world.mergePull(repo, one, {}, maintainer);
    expect(world.mergeCheck(repo, two).mergeableState).toBe("behind");
    expect(() => world.mergePull(repo, two, {}, maintainer)).toThrow(/not up to date/);
    expect(() => world.updatePullBranch(repo, two, "0".repeat(40), dev)).toThrow(/expected head sha didn't match/);
    const before = two.headSha;
    const commit = world.updatePullBranch(repo, two, before, dev);
    expect(two.headSha).toBe(commit.sha);
    expect(commit.parents).toEqual([before, repo.branches.get("main")]);
    expect(events.some((e) => e.name === "pull_request" && e.action === "synchronize" && e.data.pull === two)).toBe(true);
    expect(() => world.updatePullBranch(repo, two, two.headSha, dev)).toThrow(/no new commits/);
    // Up to date, its checks must run again on the new head before it can merge.
    expect(world.mergeCheck(repo, two).mergeableState).toBe("blocked");
    world.createCheckRun(repo, ci, { name: "ci/test", headSha: two.headSha, conclusion: "success" });
    expect(world.mergePull(repo, two, {}, maintainer).merged).toBe(true);
  });
});
