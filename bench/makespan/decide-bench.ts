import { decideMakespan } from "./decide-world.js";
import { makespanLowerBound } from "./lower-bound.js";
import { benchmarkDags, DEFAULT_MAKESPAN_OPTIONS, type MakespanOptions } from "./makespan-bench.js";
import { architectPolicy } from "./policies.js";
import { simulate } from "./simulate.js";

/**
 * `decide` over the benchmark DAGs (each pass one reconcile), next to the pure simulation
 * of the scheduling function it calls. Slower than the pure section (decide rebuilds its
 * view every pass), so it runs a subset: the first `dagCount` DAGs of the same seed.
 */
export interface DecideSummary {
  cap: number;
  variant: string;
  dags: number;
  /** Share of DAGs where decide's makespan equals the pure simulation's. */
  agree: number;
  /** Share where decide took longer. */
  slower: number;
  meanRatioToPure: number;
  meanRatioToBound: number;
}

export interface DecideBenchOptions {
  dagCount: number;
  caps: readonly number[];
}

export const DEFAULT_DECIDE_OPTIONS: DecideBenchOptions = { dagCount: 50, caps: [3, 4] };

export function runDecideBench(options: DecideBenchOptions = DEFAULT_DECIDE_OPTIONS, base: MakespanOptions = DEFAULT_MAKESPAN_OPTIONS): DecideSummary[] {
  const dags = benchmarkDags(base).slice(0, options.dagCount);
  const variants = [
    { variant: "decide (as shipped)", deferDispatchOnMerge: false },
    { variant: "decide, no dispatch in a merging pass (what-if)", deferDispatchOnMerge: true },
  ];
  const out: DecideSummary[] = [];
  for (const cap of options.caps) {
    const pure = dags.map((d) => simulate(d.tasks, cap, architectPolicy(d.tasks)).makespan);
    const bound = dags.map((d) => makespanLowerBound(d.tasks, cap).bound);
    for (const v of variants) {
      const made = dags.map((d) => decideMakespan(d.tasks, cap, v));
      out.push({
        cap,
        variant: v.variant,
        dags: dags.length,
        agree: made.filter((m, i) => m === pure[i]).length / dags.length,
        slower: made.filter((m, i) => m > (pure[i] as number)).length / dags.length,
        meanRatioToPure: made.reduce((s, m, i) => s + m / (pure[i] as number), 0) / dags.length,
        meanRatioToBound: made.reduce((s, m, i) => s + m / (bound[i] as number), 0) / dags.length,
      });
    }
  }
  return out;
}
