import { describe, expect, it } from "vitest";
import { Faults } from "../../src/sandbox/emulator/faults.js";

// The reliability suite aims ambiguous failures at one kind of GraphQL write (sub-issue
// creation, a merge) among all mutations; the emulator's matcher must tell them apart.
describe("fault matching on the GraphQL document", () => {
  it.each([
    { document: "mutation ArchitectCreateTasks { c0: createIssue(input: {}) { issue { id } } }", kind: "mutation" as const, fires: true },
    { document: "mutation Batch { m0: mergePullRequest(input: {}) { clientMutationId } }", kind: "mutation" as const, fires: false },
    { document: "query Snapshot { repository { issue(number: 1) { createdAt } } }", kind: "query" as const, fires: false },
  ])("a createIssue fault fires on $document: $fires", ({ document, kind, fires }) => {
    const faults = new Faults();
    faults.add({ kind: "commit-then-fail", match: { route: "/graphql", graphql: "mutation", document: /\bcreateIssue\(/ } });
    expect(faults.take("POST", "/graphql", kind, document) !== null).toBe(fires);
  });

  it("without a document pattern, every mutation matches as before", () => {
    const faults = new Faults();
    faults.add({ kind: "status", status: 502, match: { route: "/graphql", graphql: "mutation" }, times: 2 });
    expect(faults.take("POST", "/graphql", "mutation", "mutation { a: addComment(input: {}) { clientMutationId } }")?.kind).toBe("status");
    expect(faults.take("POST", "/graphql", "mutation")?.kind).toBe("status");
    expect(faults.take("POST", "/graphql", "mutation")).toBeNull();
  });
});
