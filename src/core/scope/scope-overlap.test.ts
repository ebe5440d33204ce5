import { describe, expect, it } from "vitest";
import { globsOverlap, scopesOverlap } from "./scope-overlap.js";

describe("globsOverlap", () => {
  it.each([
    // [a, b, overlap, why]
    ["src/**", "src/a/b.ts", true, "globstar covers nested files"],
    ["src/*.ts", "src/a/b.ts", false, "a single star stays in one segment"],
    ["docs/**", "src/**", false, "different top-level directories"],
    ["**/*.md", "README.md", true, "leading globstar matches zero segments"],
    ["src/a*", "src/ab/x", true, "a glob also covers what is below its match"],
    ["src/api/", "src/api/users.ts", true, "trailing slash means the directory"],
    ["src/api", "src/api/users.ts", true, "a bare directory path means everything under it"],
    ["src/api", "src/apix/users.ts", false, "a prefix of a name is not the directory"],
    ["src/api/users.ts", "src/api/users.ts", true, "identical literals"],
    ["src/api/users.ts", "src/api/orders.ts", false, "different literal files"],
    ["src/?.ts", "src/ab.ts", false, "? is exactly one character"],
    ["src/?.ts", "src/a.ts", true, "? matches one character"],
    ["src/*.ts", "src/*.md", false, "star-suffix patterns with different extensions"],
    ["src/a*.ts", "src/*b.ts", true, "two stars can agree on `ab.ts`"],
    ["src/a*", "src/b*", false, "different fixed first characters"],
    ["**", "anything/at/all", true, "globstar alone is everything"],
    ["**/test/**", "src/**/fixtures/**", true, "two globstars can share a path"],
    ["src/**/x.ts", "lib/**/x.ts", false, "fixed roots differ"],
    ["./src/a.ts", "src/a.ts", true, "leading ./ is ignored"],
    ["src/{api,db}/**", "src/db/schema.ts", true, "brace alternatives"],
    ["src/{api,db}/**", "src/web/page.ts", false, "no alternative matches"],
    ["src/[ab].ts", "src/c.ts", true, "classes are treated conservatively as any character"],
    ["!src/**", "docs/a.md", true, "negations are unclear, so they overlap"],
    ["src/a**b.ts", "src/aXb.ts", true, "a double star inside a segment acts as a star"],
    ["src\\a.ts", "src/a.ts", true, "backslashes are path separators"],
  ])("%s vs %s → %s (%s)", (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});

describe("scopesOverlap", () => {
  it.each([
    [[], ["src/**"], false, "an undeclared scope overlaps nothing"],
    [[], [], false, "two undeclared scopes overlap nothing"],
    [["docs/**", "README.md"], ["src/**", "README.md"], true, "any shared pair is enough"],
    [["docs/**"], ["src/**", "test/**"], false, "no pair shares a path"],
    [["src/api/**", "docs/api.md"], ["src/db/**", "docs/db.md"], false, "sibling areas"],
  ])("%j vs %j → %s (%s)", (a, b, expected) => {
    expect(scopesOverlap(a, b)).toBe(expected);
    expect(scopesOverlap(b, a)).toBe(expected);
  });

  it("gives up and says overlap when braces explode", () => {
    const explosive = "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}/x";
    expect(scopesOverlap([explosive], ["zzz/y"])).toBe(true);
  });
});
