import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runMakespanBench } from "./makespan/makespan-bench.js";
import { runDecideBench } from "./makespan/decide-bench.js";
import { renderDecide, renderMakespan } from "./makespan/makespan-table.js";
import { benchMaterialise, benchRequests, benchRoundTrips } from "./sandbox/sandbox-bench.js";
import { renderMaterialise, renderRequests, renderRoundTrips } from "./sandbox/sandbox-tables.js";

/**
 * `npm run bench`: every figure DESIGN.md budgets for, printed as tables and written to
 * bench/results/latest.json so a run can be compared with the last one. Sections can be
 * picked by name (`npm run bench -- makespan`); no argument runs them all.
 */

interface Section {
  name: string;
  run(): Promise<{ text: string; json: unknown }>;
}

const sections: Section[] = [
  {
    name: "makespan",
    run: async () => {
      const report = runMakespanBench();
      return { text: renderMakespan(report), json: report };
    },
  },
  {
    name: "decide",
    run: async () => {
      const rows = runDecideBench();
      return { text: renderDecide(rows), json: rows };
    },
  },
  {
    name: "requests",
    run: async () => {
      const report = await benchRequests();
      return { text: renderRequests(report), json: report };
    },
  },
  {
    name: "round-trips",
    run: async () => {
      const report = await benchRoundTrips();
      return { text: renderRoundTrips(report), json: report };
    },
  },
  {
    name: "rate-limits",
    run: async () => {
      const { result, errors } = await benchMaterialise();
      return { text: renderMaterialise(result, errors), json: { result, errors } };
    },
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(", ")}; known: ${sections.map((s) => s.name).join(", ")}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
  // Running one section keeps the others' last figures, each stamped with when it ran.
  const results: Record<string, unknown> = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : {};
  results.node = process.version;
  for (const section of sections.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    const started = performance.now();
    const { text, json } = await section.run();
    console.log(`\n== ${section.name} (${((performance.now() - started) / 1000).toFixed(1)} s) ==\n${text}`);
    results[section.name] = { ranAt: new Date().toISOString(), figures: json };
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwritten ${out}`);
  // Sandbox timers and keep-alive sockets may linger; the figures are written, so leave.
  process.exit(process.exitCode ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
