import type { StackRunResult } from "./stack-run.js";

/**
 * GitHub requests per task, plan to merged, reads included: everything the app asked the
 * emulator during the run (token mints and `GET /app` too), divided by the number of tasks.
 * DESIGN.md budgets 6.
 */
export interface RequestsPerTask {
  name: string;
  tasks: number;
  allDone: boolean;
  total: number;
  perTask: number;
  /** Endpoint → requests per task, largest first. */
  byEndpoint: Record<string, number>;
  graphqlQueries: number;
  graphqlMutations: number;
  contentCreating: number;
}

export function requestsPerTask(result: StackRunResult): RequestsPerTask {
  const tasks = Math.max(1, result.run.tasks.length);
  const counts: Record<string, number> = {};
  for (const e of result.appRequests) counts[e.endpoint] = (counts[e.endpoint] ?? 0) + 1;
  const byEndpoint = Object.fromEntries(
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([endpoint, n]) => [endpoint, n / tasks]),
  );
  return {
    name: result.name,
    tasks: result.run.tasks.length,
    allDone: result.run.allDone,
    total: result.appRequests.length,
    perTask: result.appRequests.length / tasks,
    byEndpoint,
    graphqlQueries: counts["POST /graphql (query)"] ?? 0,
    graphqlMutations: counts["POST /graphql (mutation)"] ?? 0,
    contentCreating: result.appRequests.filter((e) => e.contentCreating).length,
  };
}
