import type { PlanUsage } from "../core/plan/plan-schema.js";

/**
 * Money spent on planning. Prices come from the config's `prices` table (USD per million
 * tokens, by model name); a model without a price costs 0 but is flagged, so the status
 * comment can say "price unknown" instead of pretending the plan was free.
 */

/** USD per million tokens, as in ArchitectConfig.prices. */
export type PriceTable = Readonly<Record<string, { input_per_mtok: number; output_per_mtok: number }>>;

/** Cost of one model's token counts; `priced: false` when the table has no entry for the model. */
export function usd(
  usage: { model: string; inputTokens: number; outputTokens: number },
  prices: PriceTable,
): { usd: number; priced: boolean } {
  const price = Object.hasOwn(prices, usage.model) ? prices[usage.model] : undefined;
  if (!price) return { usd: 0, priced: false };
  const cost = (usage.inputTokens * price.input_per_mtok + usage.outputTokens * price.output_per_mtok) / 1_000_000;
  return { usd: roundUsd(cost), priced: true };
}

/** A PlanUsage with its USD filled in from the price table. */
export function priceUsage(
  usage: { provider: string; model: string; inputTokens: number; outputTokens: number },
  prices: PriceTable,
): PlanUsage {
  return { ...usage, usd: usd(usage, prices).usd };
}

/**
 * Sum usages per provider and model, in first-seen order: one row per model for the
 * status comment, however many attempts and repairs it took.
 */
export function mergeUsage(usages: readonly PlanUsage[]): PlanUsage[] {
  const byModel = new Map<string, PlanUsage>();
  for (const u of usages) {
    const id = `${u.provider}\u0000${u.model}`;
    const seen = byModel.get(id);
    if (seen) {
      seen.inputTokens += u.inputTokens;
      seen.outputTokens += u.outputTokens;
      seen.usd = roundUsd(seen.usd + u.usd);
    } else byModel.set(id, { ...u });
  }
  return [...byModel.values()];
}

/** Total of a list of usages (a plan, or every plan of a milestone). */
export function totalUsage(usages: readonly PlanUsage[]): { inputTokens: number; outputTokens: number; usd: number } {
  let inputTokens = 0;
  let outputTokens = 0;
  let total = 0;
  for (const u of usages) {
    inputTokens += u.inputTokens;
    outputTokens += u.outputTokens;
    total += u.usd;
  }
  return { inputTokens, outputTokens, usd: roundUsd(total) };
}

/** Models in `usages` that have no price, so a reported cost of 0 can be shown as unknown. */
export function unpricedModels(usages: readonly PlanUsage[], prices: PriceTable): string[] {
  const models = usages.filter((u) => u.inputTokens + u.outputTokens > 0).map((u) => u.model);
  return [...new Set(models)].filter((m) => !Object.hasOwn(prices, m));
}

/**
 * The cost a preview shows before approval: what planning has already spent plus, when
 * the milestone will be re-planned, the same again (the best estimate we have of a model
 * call's cost is the last one). Agent runs are billed by their own providers, not here.
 */
export function estimatePlanCostUsd(spent: readonly PlanUsage[], options: { replans?: number } = {}): number {
  const spentUsd = totalUsage(spent).usd;
  return roundUsd(spentUsd * (1 + Math.max(0, options.replans ?? 0)));
}

/** Micro-dollar precision: enough for token prices, stable in JSON and tests. */
function roundUsd(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
