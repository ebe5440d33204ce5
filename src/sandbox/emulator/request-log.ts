/**
 * Every request the emulator served, by route template, so benchmarks can count GitHub
 * calls per task and tests can assert "no more than N writes". Tokens are never recorded.
 */
export interface RequestLogEntry {
  method: string;
  /** `POST /repos/{owner}/{repo}/git/refs`, or `POST /graphql (query)` / `POST /graphql (mutation)`. */
  endpoint: string;
  path: string;
  status: number;
  /** Sandbox-clock time the request arrived. */
  at: number;
  /** Wall-clock milliseconds spent answering. */
  durationMs: number;
  /** Who asked: `<slug>[bot]` or a user login; null when unauthenticated. */
  actor: string | null;
  /** True for requests that count toward the content-creation secondary limit. */
  contentCreating: boolean;
  /** Set when a fault was injected into this request. */
  fault: string | null;
}

/** Append-only log with the counters tests and the benchmark read. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  secondaryRateLimited = 0;

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  /** Request counts keyed by endpoint template. */
  countsByEndpoint(filter: (e: RequestLogEntry) => boolean = () => true): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) if (filter(entry)) counts[entry.endpoint] = (counts[entry.endpoint] ?? 0) + 1;
    return counts;
  }

  /** Requests that created or changed content (POST/PATCH/PUT/DELETE and GraphQL mutations), served or not. */
  contentCreationCount(filter: (e: RequestLogEntry) => boolean = () => true): number {
    return this.entries.filter((e) => e.contentCreating && filter(e)).length;
  }

  graphqlCounts(): { queries: number; mutations: number } {
    return {
      queries: this.entries.filter((e) => e.endpoint === "POST /graphql (query)").length,
      mutations: this.entries.filter((e) => e.endpoint === "POST /graphql (mutation)").length,
    };
  }

  clear(): void {
    this.entries.length = 0;
    this.secondaryRateLimited = 0;
  }
}
