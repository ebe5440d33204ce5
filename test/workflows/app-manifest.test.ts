import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkAppManifest, readAppManifest } from "./app-manifest.js";

const manifest = readAppManifest(readFileSync("app.yml", "utf8"));

/** The events src/app/route-event.ts routes: its `case "<event>":` labels. */
function routedEvents(): string[] | null {
  const path = "src/app/route-event.ts";
  if (!existsSync(path)) return null;
  return [...readFileSync(path, "utf8").matchAll(/case "([a-z_]+)":/g)].map((m) => m[1] ?? "");
}

describe("app.yml", () => {
  it("asks for exactly the permissions Architect uses, at their least level", () => {
    expect(manifest.permissions).toEqual({
      issues: "write",
      pull_requests: "write",
      checks: "write",
      statuses: "read",
      contents: "write",
      actions: "write",
      administration: "read",
      metadata: "read",
      merge_queues: "read",
    });
    expect(checkAppManifest(manifest, manifest.events)).toEqual([]);
  });

  it("subscribes to exactly the events the app routes", () => {
    const routed = routedEvents();
    const expected = routed ?? ["issues", "issue_comment", "sub_issues", "issue_dependencies", "pull_request", "pull_request_review", "check_run", "check_suite", "workflow_run", "push"];
    expect(checkAppManifest(manifest, [...new Set(expected)])).toEqual([]);
  });

  it("is private and points its webhook at Probot's path", () => {
    const text = readFileSync("app.yml", "utf8");
    expect(text).toMatch(/^public: false$/m);
    expect(text).toContain("/api/github/webhooks");
  });
});

describe("checkAppManifest", () => {
  it.each([
    ["an unhandled event", { events: ["issues", "star"], permissions: {} }, ["issues"], "subscribes to 'star'"],
    ["a handled event not subscribed", { events: ["issues"], permissions: {} }, ["issues", "push"], "handles 'push'"],
    ["an unneeded permission", { events: [], permissions: { members: "read" } }, [], "'members' is not needed"],
    ["write where read suffices", { events: [], permissions: { administration: "write" } }, [], "'administration' must be read-only"],
    ["a read-only-by-nature permission at write", { events: [], permissions: { metadata: "write" } }, [], "'metadata' must be read-only"],
  ])("catches %s", (_label, m, handled, message) => {
    expect(checkAppManifest(m, handled).join("\n")).toContain(message);
  });
});
