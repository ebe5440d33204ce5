import { makespanLowerBound, tightLowerBound } from "./lower-bound.js";
import { architectPolicy, barrierPolicy, fifoPolicy, type PolicyFactory } from "./policies.js";
import { createRng } from "./prng.js";
import { DAG_SHAPES, generateDag, type DagShape } from "./random-dag.js";
import type { SimTask } from "./sim-task.js";
import { simulate } from "./simulate.js";

/**
 * The makespan figure: the same seeded DAGs and durations run under every scheduler and
 * every agent cap, each makespan divided by the lower bound max(critical path, work ÷ cap).
 * Architect runs three times — with exact, noisy and no estimates — because its priority is
 * weighted by estimates, and how much that matters is part of the honest answer.
 */

/** A scheduler as the benchmark runs it: a policy plus the estimates it is allowed to see. */
export interface BenchScheduler {
  name: string;
  policy: PolicyFactory;
  /** What the plan's estimates look like to this scheduler (the durations stay true). */
  estimates: EstimateView;
}

/**
 * exact: estimate = duration. noisy: off by up to ±50%. none: every estimate 1.
 * tenths: estimate = duration ÷ 10, i.e. sub-hour estimates, which the priority's
 * "at least 1" floor flattens.
 */
export type EstimateView = "exact" | "noisy" | "none" | "tenths";

/** Every scheduler in the comparison; the first is the headline. */
export const BENCH_SCHEDULERS: readonly BenchScheduler[] = [
  { name: "architect", policy: architectPolicy, estimates: "exact" },
  { name: "architect (estimates ±50%)", policy: architectPolicy, estimates: "noisy" },
  { name: "architect (no estimates)", policy: architectPolicy, estimates: "none" },
  { name: "architect (estimates < 1h)", policy: architectPolicy, estimates: "tenths" },
  { name: "level-by-level", policy: barrierPolicy, estimates: "exact" },
  { name: "fifo", policy: fifoPolicy, estimates: "exact" },
];

export interface MakespanOptions {
  seed: number;
  dagCount: number;
  caps: readonly number[];
  minSize: number;
  maxSize: number;
}

export const DEFAULT_MAKESPAN_OPTIONS: MakespanOptions = { seed: 20260101, dagCount: 100, caps: [2, 3, 4, 8], minSize: 10, maxSize: 60 };

/** One DAG under one cap: the bound and each scheduler's makespan. */
export interface MakespanCase {
  dag: number;
  shape: DagShape;
  size: number;
  cap: number;
  criticalPath: number;
  workOverCap: number;
  bound: number;
  /** `tightLowerBound`: at least `bound`, usually closer to the optimum. */
  tightBound: number;
  makespan: Record<string, number>;
}

/** One scheduler under one cap, over all DAGs. */
export interface MakespanSummary {
  cap: number;
  scheduler: string;
  meanRatio: number;
  maxRatio: number;
  /** Share of DAGs with makespan ≤ 1.05 × bound. */
  within5: number;
  /** Mean of makespan ÷ the best makespan any scheduler found on that DAG. */
  meanRatioToBest: number;
  /** Mean of makespan ÷ the tight lower bound. */
  meanRatioToTight: number;
  /** Share of DAGs with makespan ≤ 1.05 × the tight lower bound. */
  within5Tight: number;
}

/** The headline scheduler's mean ratio per DAG shape, to show where the gap is. */
export interface ShapeSummary {
  cap: number;
  shape: DagShape;
  dags: number;
  meanRatio: number;
  meanRatioToTight: number;
}

export interface MakespanReport {
  options: MakespanOptions;
  summaries: MakespanSummary[];
  byShape: ShapeSummary[];
  /** Per cap: share of DAGs where at least one scheduler came within 5% of the bound (how reachable the target is). */
  reachable: Record<string, number>;
  cases: MakespanCase[];
}

/** The benchmark DAGs: shapes in rotation, sizes uniform in [minSize, maxSize]. */
export function benchmarkDags(options: MakespanOptions): { shape: DagShape; tasks: SimTask[] }[] {
  const rng = createRng(options.seed);
  return Array.from({ length: options.dagCount }, (_, i) => generateDag(rng, DAG_SHAPES[i % DAG_SHAPES.length] as DagShape, rng.int(options.minSize, options.maxSize)));
}

/** Runs every DAG × cap × scheduler. Deterministic for a given seed. */
export function runMakespanBench(options: MakespanOptions = DEFAULT_MAKESPAN_OPTIONS, schedulers: readonly BenchScheduler[] = BENCH_SCHEDULERS): MakespanReport {
  const dags = benchmarkDags(options);
  // Noise is drawn from its own stream so adding a scheduler never changes the DAGs.
  const noise = createRng(options.seed ^ 0x5eed);
  const views = dags.map((dag) => ({
    exact: dag.tasks,
    noisy: dag.tasks.map((t) => ({ ...t, estimate: Math.max(1, Math.round(t.duration * (0.5 + noise.next()))) })),
    none: dag.tasks.map((t) => ({ ...t, estimate: 1 })),
    tenths: dag.tasks.map((t) => ({ ...t, estimate: t.duration / 10 })),
  }));
  const cases: MakespanCase[] = [];
  for (const cap of options.caps) {
    dags.forEach((dag, i) => {
      const { criticalPath, workOverCap, bound } = makespanLowerBound(dag.tasks, cap);
      const makespan: Record<string, number> = {};
      for (const s of schedulers) {
        const tasks = (views[i] as Record<EstimateView, SimTask[]>)[s.estimates];
        makespan[s.name] = simulate(tasks, cap, s.policy(tasks)).makespan;
      }
      const tightBound = tightLowerBound(dag.tasks, cap);
      cases.push({ dag: i + 1, shape: dag.shape, size: dag.tasks.length, cap, criticalPath, workOverCap, bound, tightBound, makespan });
    });
  }
  return { options, ...summariseMakespan(cases, schedulers.map((s) => s.name)), cases };
}

/** Aggregates per cap and scheduler; pure so it can be checked on hand-made cases. */
export function summariseMakespan(cases: readonly MakespanCase[], schedulers: readonly string[]): Pick<MakespanReport, "summaries" | "byShape" | "reachable"> {
  const caps = [...new Set(cases.map((c) => c.cap))];
  const summaries: MakespanSummary[] = [];
  const byShape: ShapeSummary[] = [];
  const headline = schedulers[0] ?? "";
  const reachable: Record<string, number> = {};
  for (const cap of caps) {
    const group = cases.filter((c) => c.cap === cap);
    const best = group.map((c) => Math.min(...schedulers.map((s) => c.makespan[s] ?? Infinity)));
    reachable[String(cap)] = share(group.map((c, i) => withinFivePercent((best[i] as number) / c.bound)));
    for (const scheduler of schedulers) {
      const ratios = group.map((c) => (c.makespan[scheduler] ?? NaN) / c.bound);
      const tight = group.map((c) => (c.makespan[scheduler] ?? NaN) / c.tightBound);
      summaries.push({
        cap,
        scheduler,
        meanRatio: mean(ratios),
        maxRatio: Math.max(...ratios),
        within5: share(ratios.map(withinFivePercent)),
        meanRatioToBest: mean(group.map((c, i) => (c.makespan[scheduler] ?? NaN) / (best[i] as number))),
        meanRatioToTight: mean(tight),
        within5Tight: share(tight.map(withinFivePercent)),
      });
    }
    for (const shape of [...new Set(group.map((c) => c.shape))]) {
      const of = group.filter((c) => c.shape === shape);
      byShape.push({
        cap,
        shape,
        dags: of.length,
        meanRatio: mean(of.map((c) => (c.makespan[headline] ?? NaN) / c.bound)),
        meanRatioToTight: mean(of.map((c) => (c.makespan[headline] ?? NaN) / c.tightBound)),
      });
    }
  }
  return { summaries, byShape, reachable };
}

/** Ratios are floats (work ÷ cap); the epsilon keeps exactly 1.05 inside. */
const withinFivePercent = (ratio: number) => ratio <= 1.05 + 1e-9;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = (flags: readonly boolean[]) => flags.filter(Boolean).length / flags.length;
