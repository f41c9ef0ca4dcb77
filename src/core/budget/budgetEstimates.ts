import { formatUsd, roundUsd } from '../cost';
import type { LedgerCell } from '../ledger/totals';
import type { ModelPrice } from '../prices/priceTable';
import { plural } from '../words';
import { cellCount, knownPriceNow, type PriceNow } from './periodSpend';

/** A model whose requests this month the budgets count at budget.unpricedEstimate, having no price. */
export interface EstimatedModel {
  /** `provider:model` */
  model: string;
  requests: number;
  /** What the budgets count them at. */
  usd: number;
}

/**
 * This month's requests (up to `day`) that the budgets count at the stated estimate, by model, dearest first:
 * those whose model still has no price. A model priced since (or found local) counts at its price now instead
 * (periodSpend.ts), so it is not here.
 */
export function budgetEstimates(cells: Iterable<LedgerCell>, day: string, unpricedPrice: ModelPrice | undefined, priceNow: PriceNow): EstimatedModel[] {
  if (!unpricedPrice) return [];
  const month = day.slice(0, 7);
  const byModel = new Map<string, EstimatedModel>();
  for (const cell of cells) {
    if (cell.unpriced === 0 || !cell.day.startsWith(month) || cell.day > day) continue;
    if (knownPriceNow(priceNow, cell.provider, cell.model)) continue;
    const { estimatedUsd } = cellCount(cell, unpricedPrice, priceNow);
    const model = `${cell.provider}:${cell.model}`;
    const line = byModel.get(model) ?? { model, requests: 0, usd: 0 };
    line.requests += cell.unpriced;
    line.usd += estimatedUsd;
    byModel.set(model, line);
  }
  return [...byModel.values()].filter((line) => line.usd > 0).map((line) => ({ ...line, usd: roundUsd(line.usd) })).sort((a, b) => b.usd - a.usd || a.model.localeCompare(b.model));
}

/**
 * "This month's budgets count 12 requests to openai:llama3.1 at $0.42 (switchboard.budget.unpricedEstimate),
 * because no price is known for it; …": what a budget's spend holds that no provider billed as such, and the one
 * step that changes it (a price, which the budgets then count those requests at). `estimateSetting` names where
 * the reader sets the estimate, `pricesPlace` where prices go (settingPlace: "in switchboard.prices", or the CLI's
 * `under "prices" in team.jsonc`).
 */
export function budgetEstimateNote(models: readonly EstimatedModel[], estimateSetting: string, pricesPlace: string): string | undefined {
  if (models.length === 0) return undefined;
  const each = models.map((m) => `${plural(m.requests, 'request')} to ${m.model} at ${formatUsd(m.usd)}`);
  const them = models.length === 1 ? 'it' : 'them';
  const example = models[0]!.model;
  return (
    `This month's budgets count ${each.join(', ')} (${estimateSetting}), because no price is known for ${them}: ` +
    `give ${models.length === 1 ? 'it' : 'each'} its price ${pricesPlace} ("${example}": { "input": …, "output": … } in USD per million tokens, ` +
    `0 and 0 if nothing bills you for it) and the budgets count ${models.length === 1 ? 'those requests' : 'their requests'} at it, not at the estimate`
  );
}
