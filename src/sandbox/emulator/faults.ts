/**
 * Injected failures, matched by method and route template. Deterministic: each fault draws
 * from its own seeded generator, so a failing test replays exactly.
 */
export type FaultKind =
  /** Answer with this status (and body) without touching the world. */
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  /** Apply the write, then answer with an error (502 by default): the ambiguous-write case. */
  | { kind: "commit-then-fail"; status?: number }
  /** Delay the answer by this many sandbox milliseconds, then serve it normally. */
  | { kind: "hang"; ms: number }
  /** A workflow dispatch answers success but no run is ever created (lost dispatch). */
  | { kind: "drop-run" };

export interface FaultMatch {
  method?: string;
  /** Route template (`/repos/{owner}/{repo}/git/refs`), `/graphql`, or a RegExp tested on `METHOD template`. */
  route?: string | RegExp;
  /** For `/graphql`: only queries or only mutations. */
  graphql?: "query" | "mutation";
  /** For `/graphql`: only documents this matches (e.g. /createIssue\(/ to hit sub-issue creation, not every mutation). */
  document?: RegExp;
}

export type FaultSpec = FaultKind & {
  match: FaultMatch;
  /** How many times it fires (default: forever). */
  times?: number;
  /** Chance per matching request (default 1). */
  probability?: number;
  seed?: number;
};

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  remaining: number;
  random: () => number;
  fired: number;
}

/** The fault table the server consults on every request. */
export class Faults {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;

  /** Add a fault; returns its id (for `remove`). */
  add(spec: FaultSpec): number {
    const id = this.nextId++;
    this.active.push({ id, spec, remaining: spec.times ?? Infinity, random: mulberry32(spec.seed ?? id), fired: 0 });
    return id;
  }

  remove(id: number): void {
    const index = this.active.findIndex((f) => f.id === id);
    if (index >= 0) this.active.splice(index, 1);
  }

  clear(): void {
    this.active.length = 0;
  }

  /** How many times fault `id` fired. */
  firedCount(id: number): number {
    return this.active.find((f) => f.id === id)?.fired ?? 0;
  }

  /** The first fault that matches and fires for this request, consuming one of its `times`. */
  take(method: string, template: string, graphqlKind: "query" | "mutation" | null, document = ""): FaultSpec | null {
    for (const fault of this.active) {
      if (fault.remaining <= 0 || !matches(fault.spec.match, method, template, graphqlKind, document)) continue;
      if (fault.random() >= (fault.spec.probability ?? 1)) continue;
      fault.remaining--;
      fault.fired++;
      return fault.spec;
    }
    return null;
  }
}

function matches(match: FaultMatch, method: string, template: string, graphqlKind: "query" | "mutation" | null, document: string): boolean {
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.graphql && match.graphql !== graphqlKind) return false;
  if (match.document && !match.document.test(document)) return false;
  if (match.route instanceof RegExp) return match.route.test(`${method} ${template}`);
  if (match.route && match.route !== template) return false;
  return true;
}

/** Small seeded PRNG (public domain), uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
