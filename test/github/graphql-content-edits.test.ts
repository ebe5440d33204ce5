import { describe, expect, it } from "vitest";
import { createGraphqlHandler } from "../../src/sandbox/emulator/graphql/handler.js";
import type { GraphqlAuth } from "../../src/sandbox/emulator/server.js";
import { World } from "../../src/sandbox/emulator/state.js";
import { setupRepo } from "../../src/sandbox/index.js";
import { ManualClock } from "./manual-clock.js";

/** The emulator's model of issue body edits (sandbox/emulator/content-edits.ts), read as Architect reads it. */
describe("emulator GraphQL: who edited an issue body", () => {
  const QUERY = `{ repository(owner: "acme", name: "webshop") { issue(number: 1) {
    lastEditedAt includesCreatedEdit editor { __typename login }
    userContentEdits(first: 10) { nodes { editedAt diff editor { login } } }
  } } }`;

  function setup() {
    const clock = new ManualClock();
    const w = new World({ clock });
    const { repo, maintainer } = setupRepo(w);
    const app = w.createApp({ slug: "architect", name: "Architect" });
    const installation = w.installApp(app, repo.owner, [repo]);
    const auth: GraphqlAuth = { grant: { kind: "installation", installation, expiresAt: Infinity }, actor: app.botUser, app };
    const handler = createGraphqlHandler(w);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const read = async () => ((await handler({ query: QUERY }, auth)).json as { data: any }).data.repository.issue;
    return { w, repo, maintainer, clock, read };
  }

  it("serves nothing for a body never edited", async () => {
    const { w, repo, read } = setup();
    w.createIssue(repo, { title: "M", body: "original", user: w.ensureUser("stranger") });
    expect(await read()).toEqual({ lastEditedAt: null, includesCreatedEdit: false, editor: null, userContentEdits: { nodes: [] } });
  });

  it("records each body edit newest first, the created version last; a title change is no body edit", async () => {
    const { w, repo, maintainer, clock, read } = setup();
    const issue = w.createIssue(repo, { title: "M", body: "original", user: w.ensureUser("stranger") });
    clock.advance(60_000);
    w.updateIssue(repo, issue, { body: "edited by the stranger" }, w.ensureUser("stranger"));
    clock.advance(60_000);
    w.updateIssue(repo, issue, { body: "edited by a maintainer" }, maintainer);
    clock.advance(60_000);
    w.updateIssue(repo, issue, { title: "Renamed" }, w.ensureUser("stranger"));

    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const result = await read();
    expect(result.lastEditedAt).toBe(iso(issue.createdAt + 120_000));
    expect(result.editor).toEqual({ __typename: "User", login: maintainer.login });
    expect(result.includesCreatedEdit).toBe(true);
    expect(result.userContentEdits.nodes).toEqual([
      { editedAt: iso(issue.createdAt + 120_000), diff: "edited by a maintainer", editor: { login: maintainer.login } },
      { editedAt: iso(issue.createdAt + 60_000), diff: "edited by the stranger", editor: { login: "stranger" } },
      { editedAt: iso(issue.createdAt), diff: "original", editor: { login: "stranger" } },
    ]);
  });
});
