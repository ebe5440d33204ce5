import fc from "fast-check";

/**
 * Shared settings and text generators for the fuzz suites. Seeds are fixed so CI is
 * deterministic: a failure reproduces with the same seed and the printed counterexample.
 */

/** Default run parameters: deterministic and fast enough for the whole folder to stay well under 20 s. */
export const FUZZ = { seed: 42, numRuns: 200 } as const;

/** Fewer runs for properties whose single run is expensive (megabyte inputs, big snapshots). */
export const FUZZ_SLOW = { seed: 42, numRuns: 40 } as const;

/**
 * Lines assembled from the tokens the parsers care about (fences, quotes, comments,
 * headings, list items, command prefixes) plus random text, so generated input reaches
 * the interesting branches instead of being rejected on the first character.
 */
export function lineFrom(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokens) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...tokens), fc.string({ maxLength: 20 })).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  );
}

/** A multi-line document of `line`s joined with any of the newline styles people paste. */
export function documentOf(line: fc.Arbitrary<string>, maxLines = 30): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(line, { maxLength: maxLines }), fc.constantFrom("\n", "\r\n", "\r"))
    .map(([lines, eol]) => lines.join(eol));
}

/** Arbitrary text of every kind: short, unicode, binary, and occasionally very long. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 100 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 100 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min: 1_000, max: 20_000 })).map(([s, n]) => s.repeat(n)) },
);

/** One megabyte of one character: the size a runaway model or a hostile comment reaches. */
export const ONE_MB = 1 << 20;

/** GitHub's limit on an issue or comment body, in characters. */
export const BODY_LIMIT = 65_536;

/**
 * Regex denial of service: a prefix, one short chunk repeated up to GitHub's body limit,
 * and a suffix. Built from the characters backtracking regexes choke on (runs of spaces,
 * `#`, backticks, Unicode line separators) around the tokens a parser looks for.
 */
export function pathological(prefixes: readonly string[], chunks: readonly string[]): fc.Arbitrary<string> {
  const chunk = fc.array(fc.constantFrom(...chunks), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(""));
  const suffix = fc.constantFrom("", "x", "\u2028", "\u2028x", "#", "#x", " x", "hx", "`", "-->");
  return fc.tuple(fc.constantFrom(...prefixes), chunk, suffix).map(([prefix, c, s]) => prefix + c.repeat(Math.floor((BODY_LIMIT - prefix.length - s.length) / c.length)) + s);
}

/** Characters that make backtracking regexes explode when repeated. */
export const BACKTRACK_CHUNKS = [" ", "\t", "#", "`", "-", ":", "a", "<!--", "\u2028", "{", "h"];

/**
 * A linear parser handles a 64 KB body in a few milliseconds; a quadratic one takes
 * seconds to minutes. The bound is two orders of magnitude above the linear cost, so it
 * catches only real blow-ups, never a slow CI machine.
 */
export const LINEAR_BUDGET_MS = 1_000;

/** Run `fn` and fail with the input's shape when it takes longer than LINEAR_BUDGET_MS. */
export function expectLinear(label: string, input: string, fn: () => unknown): void {
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  if (ms > LINEAR_BUDGET_MS) {
    throw new Error(`${label} took ${Math.round(ms)} ms on ${input.length} chars starting ${JSON.stringify(input.slice(0, 40))}`);
  }
}
