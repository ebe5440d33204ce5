import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker, hasMarker, stripMarkers, type MarkerKind, type MarkerValue } from "../../src/core/markers/markers.js";
import { formatRunTitle, parseRunTitle } from "../../src/core/markers/run-title.js";
import type { RunKey } from "../../src/core/decide/snapshot.js";
import { anyText, FUZZ } from "./fuzz-helpers.js";

/**
 * Markers live in issue and comment bodies anyone can edit, and run titles come back from
 * the Actions API. Decoding must never throw, must only return values its schema accepts,
 * must round-trip what Architect wrote, and must never mistake another kind or version.
 */

const KINDS: readonly MarkerKind[] = ["task", "control", "status", "run", "reply"];
const taskKey = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);
const shortText = (max: number) => fc.string({ maxLength: max });
/** Non-negative numbers as JSON keeps them (no -0, no NaN or infinities). */
const amount = (max: number) => fc.double({ min: 0, max, noNaN: true }).map((x) => x + 0);

const values: { [K in MarkerKind]: fc.Arbitrary<MarkerValue<K>> } = {
  task: fc.record(
    {
      milestone: fc.integer({ min: 1, max: 2 ** 31 }),
      planId: shortText(64),
      key: taskKey,
      dependsOn: fc.array(taskKey, { maxLength: 5 }),
      agent: shortText(32),
      scope: fc.array(shortText(200), { maxLength: 4 }),
      estimate: amount(1000),
      requiredApprovals: fc.integer({ min: 0, max: 6 }),
    },
    { requiredKeys: ["milestone", "planId", "key", "dependsOn", "agent", "scope", "estimate"] },
  ),
  control: fc.record({
    planId: shortText(64),
    plan: fc.record({
      rationale: shortText(100),
      tasks: fc.array(
        fc.record({
          key: taskKey,
          title: fc.string({ minLength: 1, maxLength: 40 }),
          body: shortText(100),
          acceptance: fc.array(shortText(30), { maxLength: 2 }),
          depends_on: fc.array(taskKey, { maxLength: 2 }),
          agent: shortText(32),
          agent_reason: shortText(30),
          labels: fc.array(shortText(20), { maxLength: 2 }),
          scope: fc.array(shortText(30), { maxLength: 2 }),
          estimate: amount(1000),
        }),
        { maxLength: 3 },
      ),
    }),
    requestedBy: shortText(100),
    approvedBy: fc.option(shortText(100), { nil: null }),
    paused: fc.boolean(),
    budgetApprovedUsd: amount(1e6),
    usage: fc.array(fc.record({ provider: shortText(10), model: shortText(10), inputTokens: amount(1e9), outputTokens: amount(1e9), usd: amount(1e4) }), { maxLength: 2 }),
    retryGrants: fc.dictionary(fc.string({ maxLength: 10 }).filter((k) => k !== "__proto__"), fc.nat(10), { maxKeys: 3 }),
    removedKeys: fc.array(shortText(20), { maxLength: 3 }),
    handledCommands: fc.array(fc.integer(), { maxLength: 5 }),
  }),
  status: fc.record({
    milestone: fc.integer({ min: 1, max: 2 ** 31 }),
    dispatches: fc.dictionary(
      fc.nat(99_999).map(String),
      fc.record({ seq: fc.integer({ min: 1, max: 99 }), at: fc.integer(), resent: fc.boolean() }, { requiredKeys: ["seq", "at"] }),
      { maxKeys: 4 },
    ),
  }),
  run: fc.record({ task: fc.integer({ min: 1, max: 2 ** 31 }), runKey: shortText(100) }),
  reply: fc.record({ to: fc.integer(), topic: shortText(64) }),
};

/** Any kind with a valid value of that kind. */
const anyMarker = fc.constantFrom(...KINDS).chain((kind) => values[kind].map((value) => ({ kind, value }) as { kind: MarkerKind; value: MarkerValue<MarkerKind> }));
/** Text around a marker that holds no marker itself. */
const noise = anyText.filter((t) => !t.includes("architect:"));

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

describe("markers", () => {
  it("round-trip every kind, whatever text surrounds them", () => {
    fc.assert(
      fc.property(anyMarker, noise, noise, ({ kind, value }, before, after) => {
        const body = `${before}\n${encodeMarker(kind, value)}\n${after}`;
        expect(decodeMarker(kind, body)).toEqual(value);
        expect(hasMarker(kind, body)).toBe(true);
        expect(decodeMarker(kind, stripMarkers(body))).toBeNull();
      }),
      FUZZ,
    );
  });

  it("never decode as another kind or another version", () => {
    fc.assert(
      fc.property(anyMarker, fc.constantFrom(...KINDS), fc.constantFrom("v0", "v2", "v10", "v11"), ({ kind, value }, other, version) => {
        const marker = encodeMarker(kind, value);
        if (other !== kind) expect(decodeMarker(other, marker)).toBeNull();
        expect(decodeMarker(kind, marker.replace(" v1 ", ` ${version} `))).toBeNull();
      }),
      FUZZ,
    );
  });

  it("never throw on garbage, and only ever return values their schema accepts", () => {
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => base64url(JSON.stringify(v))),
      anyMarker.map(({ value }) => base64url(JSON.stringify(value))),
      fc.string({ unit: fc.constantFrom(..."AZaz09-_+/="), maxLength: 80 }),
      anyText,
    );
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.constantFrom(...KINDS, "Task", "x"), fc.constantFrom("v1", "v2", "v"), payload, noise, (kind, written, version, data, around) => {
        const body = `${around}<!-- architect:${written} ${version} ${data} -->${around}`;
        const decoded = decodeMarker(kind, body);
        if (decoded === null) return;
        expect(written).toBe(kind);
        // Whatever decodes is a valid value: it encodes again and reads back unchanged.
        expect(decodeMarker(kind, encodeMarker(kind, decoded))).toEqual(decoded);
      }),
      FUZZ,
    );
  });

  it("never throw on arbitrary text, null or undefined", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.oneof(anyText, fc.constantFrom(null, undefined, "<!-- architect:task v1 -->", "<!-- architect:task v1 !!! -->")), (kind, text) => {
        expect(() => decodeMarker(kind, text)).not.toThrow();
        expect(() => hasMarker(kind, text)).not.toThrow();
      }),
      FUZZ,
    );
  });

  it("take the first valid marker of the kind when a forged invalid one comes first", () => {
    fc.assert(
      fc.property(values.run, anyText, (value, junk) => {
        const body = `<!-- architect:run v1 ${base64url(junk)} -->\n${encodeMarker("run", value)}`;
        expect(decodeMarker("run", body)).toEqual(value);
      }),
      FUZZ,
    );
  });
});

describe("run titles", () => {
  const runKey: fc.Arbitrary<RunKey> = fc.record({
    milestone: fc.integer({ min: 1, max: 999_999_999 }),
    task: fc.integer({ min: 1, max: 999_999_999 }),
    seq: fc.integer({ min: 1, max: 9_999 }),
    mode: fc.constantFrom("initial", "retry", "review"),
  });

  it("round-trip every key, with or without surrounding whitespace", () => {
    fc.assert(
      fc.property(runKey, fc.constantFrom("", " ", "\n", "\t "), (key, pad) => {
        expect(parseRunTitle(pad + formatRunTitle(key) + pad)).toEqual(key);
      }),
      FUZZ,
    );
  });

  it("never throw on arbitrary titles; what parses is a canonical key", () => {
    const titleish = fc.oneof(
      anyText,
      fc.tuple(fc.constantFrom("architect ", "Architect ", "architect  ", ""), fc.array(fc.oneof(fc.nat().map(String), fc.constantFrom("/", "initial", "retry", "review", "-1", "0", "00", "x", " ")), { maxLength: 8 })).map(([p, parts]) => p + parts.join("")),
    );
    fc.assert(
      fc.property(titleish, (title) => {
        const key = parseRunTitle(title);
        if (key === null) return;
        for (const n of [key.milestone, key.task, key.seq]) expect(Number.isSafeInteger(n) && n >= 1).toBe(true);
        expect(parseRunTitle(formatRunTitle(key))).toEqual(key);
      }),
      FUZZ,
    );
  });

  it("reject a valid title with anything glued to either end", () => {
    fc.assert(
      fc.property(runKey, fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ""), fc.boolean(), (key, extra, atEnd) => {
        const title = atEnd ? formatRunTitle(key) + extra.trim() : extra.trim() + formatRunTitle(key);
        expect(parseRunTitle(title)).toBeNull();
      }),
      FUZZ,
    );
  });
});
