import { describe, expect, it } from "vitest";
import type { CommentFacts, Permission } from "../../src/github/gateway.js";
import { selectTrustedComments } from "../../src/planners/trusted-comments.js";

describe("selectTrustedComments", () => {
  const trigger = 1_000;
  const permissions = new Map<string, Permission>([
    ["maintainer", "maintain"],
    ["writer", "write"],
    ["admin", "admin"],
    ["reader", "read"],
    ["triager", "triage"],
  ]);
  const comment = (author: string, createdAt: number, updatedAt = createdAt, authorIsBot = false): CommentFacts => ({
    id: createdAt,
    nodeId: `IC_${author}_${createdAt}`,
    author,
    authorIsBot,
    body: `by ${author} at ${createdAt}`,
    createdAt,
    updatedAt,
  });

  it.each([
    ["a writer before the trigger", comment("writer", 500), true],
    ["a maintainer before the trigger", comment("maintainer", 500), true],
    ["an admin at the trigger (the trigger itself)", comment("admin", 1_000), true],
    ["a reader", comment("reader", 500), false],
    ["a triager", comment("triager", 500), false],
    ["an unknown user (fail closed)", comment("stranger", 500), false],
    ["a writer's comment created after the trigger", comment("writer", 1_001), false],
    ["a writer's comment edited after the trigger", comment("writer", 500, 1_500), false],
    ["a bot", comment("writer", 500, 500, true), false],
    ["Architect itself", comment("architect-app[bot]", 500), false],
  ])("%s", (_name, c, kept) => {
    const perms = new Map(permissions).set("architect-app[bot]", "admin");
    const out = selectTrustedComments([c], perms, trigger, "architect-app[bot]");
    expect(out).toEqual(kept ? [{ author: c.author, body: c.body }] : []);
  });

  it("keeps order", () => {
    const out = selectTrustedComments([comment("writer", 1), comment("reader", 2), comment("admin", 3)], permissions, trigger, "bot");
    expect(out.map((c) => c.author)).toEqual(["writer", "admin"]);
  });
});
