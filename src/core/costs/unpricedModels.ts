import type { SwitchboardConfig } from '../config';
import { editorSettingName, settingMention, settingPlace, type SettingNamer } from '../config/settingNamer';
import { formatModelRef } from '../modelRef';
import { isLocalPrice, type PriceTable } from '../prices/priceTable';
import { TASKS, type Task } from '../types';
import { strongTierOf } from './strongTier';
import type { UnpricedModel } from './unpricedNote';

/**
 * The models of `lines` (keyed `provider:model`) with unpriced requests, most
 * first, each with why: a total that leaves requests out must say which and
 * why, or it reads as everything spent. `settingName` names where the reader
 * gives a price: the editor's setting, or the CLI's --config key. A record keeps the cost it was given
 * when it was made, so a model priced since (a newer table, an entry in
 * switchboard.prices) still has unpriced requests from before.
 */
export function unpricedModels(lines: Iterable<{ model: string; unpriced: number }>, prices: PriceTable, settingName: SettingNamer = editorSettingName): UnpricedModel[] {
  const pricesSetting = settingMention(settingName, 'prices');
  const pricesPlace = settingPlace(settingName, 'prices');
  const found: UnpricedModel[] = [];
  for (const { model, unpriced } of lines) {
    if (unpriced <= 0) continue;
    const [provider, id] = splitRef(model);
    const now = prices.lookup(provider, id);
    // A recorded cost never changes, so these stay out of the spend; the budgets count them at the price known now.
    const reason = isLocalPrice(now)
      ? `no price when they were recorded, and not recorded as local: its provider's server is on this machine now, but these went elsewhere (a server across a network, billed by whoever runs it) or were recorded before local servers counted as $0; the budgets count them at the estimate until it has a price ${pricesPlace} (0 and 0 if nothing bills you for them)`
      : now
      ? 'no price when they were recorded (it has one now, which the budgets count them at; a recorded cost is never changed)'
      : `not in the price table (of ${prices.sourceDate}) or ${pricesSetting} (give it a price there, input and output in USD per million tokens: its requests from then on are priced, and the budgets count these at it too)`;
    found.push({ model, requests: unpriced, reason });
  }
  return found.sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
}

/**
 * The models of `lines` (`provider:model`) whose priced requests were all recorded as served on this machine that
 * nobody priced (`local`, from the records' costSource): their $0 reads "local, $0". What the records said, not
 * where today's settings point the provider: a LAN server's requests stay what they were when the settings now
 * name a server on this machine, and a local model named like a paid one is local without any settings.
 */
export function localModelsOf(lines: Iterable<{ model: string; requests: number; unpriced: number; local?: number }>): string[] {
  const local: string[] = [];
  for (const { model, requests, unpriced, local: localRequests = 0 } of lines) {
    if (localRequests > 0 && localRequests >= requests - unpriced) local.push(model);
  }
  return local;
}

/**
 * Each task's strong tier as the savings name it: `provider:model`, and where
 * the table has no price for it, that its requests are not compared (they
 * count at what they cost on both sides, so they save nothing).
 */
export function strongTierLabels(config: SwitchboardConfig, prices: PriceTable): Partial<Record<Task, string>> {
  const labels: Partial<Record<Task, string>> = {};
  for (const task of TASKS) {
    const ref = strongTierOf(config, task);
    if (!ref) continue;
    const name = formatModelRef(ref);
    labels[task] = prices.lookup(ref.provider, ref.model) ? name : `${name} (unpriced: ${task} requests not compared)`;
  }
  return labels;
}

function splitRef(ref: string): [string, string] {
  const at = ref.indexOf(':');
  return at < 0 ? ['', ref] : [ref.slice(0, at), ref.slice(at + 1)];
}
