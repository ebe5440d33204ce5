import { describe, expect, it } from "vitest";
import { filesOutsideScope, scopeGlobProblem } from "./scope-match.js";

describe("scopeGlobProblem", () => {
  it.each([
    ["src/**", null],
    ["src/api", null],
    ["src/api/", null],
    ["./src/a.ts", null],
    ["src/{api,db}/**", null],
    ["**/*.md", null],
    ["src/[ab].ts", null],
    [".github/CODEOWNERS", null],
    ["", /empty/],
    ["   ", /empty/],
    ["./", /whole repository/],
    [".", /whole repository/],
    ["!src/**", /negation/],
    ["/etc/passwd", /absolute/],
    ["\\\\server\\share", /absolute/],
    ["C:/repo/src", /absolute/],
    ["~/src", /absolute/],
    ["../other/**", /`\.\.`/],
    ["src/../../etc", /`\.\.`/],
    ["src\\..\\x", /`\.\.`/],
    ["src/[", /not a valid glob: Missing closing: "\]"/],
    ["src/*.{ts", /not a valid glob/],
    ["src/(a", /not a valid glob/],
  ])("%j → %s", (glob, problem) => {
    const found = scopeGlobProblem(glob);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it("allows names that merely contain two dots", () => {
    expect(scopeGlobProblem("docs/v1..v2.md")).toBeNull();
  });
});

describe("filesOutsideScope", () => {
  it.each<[string[], string[], string[]]>([
    [["src/api/users.ts", "src/api/x/y.ts"], ["src/api/**"], []],
    [["src/api/users.ts", "README.md"], ["src/api/**"], ["README.md"]],
    [["src/api/users.ts"], ["src/api"], []],
    [["src/api/users.ts"], ["src/api/"], []],
    [["src/apix/users.ts"], ["src/api"], ["src/apix/users.ts"]],
    [["src/ab/x.ts"], ["src/a*"], []],
    [["src/a/b.ts"], ["src/*.ts"], ["src/a/b.ts"]],
    [["src/a.ts"], ["./src/a.ts"], []],
    [["src/db/schema.ts", "src/web/page.ts"], ["src/{api,db}/**"], ["src/web/page.ts"]],
    [["src/.env", ".eslintrc"], ["src/**"], [".eslintrc"]],
    [["docs/a.md", "docs/b/c.md", "a.md"], ["**/*.md"], []],
    [["anything/at/all.ts"], [], []],
    [["src/a.ts"], ["src/[", "!src/**", "../**"], ["src/a.ts"]],
    [["migrations/001.sql", "src/db/x.ts", "src/api/y.ts"], ["migrations/**", "src/db/**"], ["src/api/y.ts"]],
  ])("%j within %j → outside %j", (files, scope, outside) => {
    expect(filesOutsideScope(files, scope)).toEqual(outside);
  });
});
