import { AUTO_ROUTED_TASKS, type ConfigProblem, type SwitchboardConfig } from '../config';
import { formatModelRef } from '../modelRef';
import { atVendorApi } from '../vendorApi';
import { editorSettingName, settingMention, settingPlace, type SettingNamer } from '../config/settingNamer';
import { editDistance } from '../editDistance';
import { TASKS, type ModelRef } from '../types';
import { priceEntryHint } from './priceHint';
import { isDeprecated, type PriceTable } from './priceTable';

/**
 * What only the price table can tell about the settings, phrased as setting
 * problems (`keyPrefix` as resolveConfig's): shown with the others by the
 * editor; the CLI refuses the first kind and warns about the second.
 */

/** Price overrides left out: a model with no shipped price needs both "input" and "output". */
export function incompletePriceOverrides(prices: PriceTable, keyPrefix: string): ConfigProblem[] {
  return prices.incomplete.map((model) => ({
    key: `${keyPrefix}prices["${model}"]`,
    message: 'names a model with no shipped price, so it needs both "input" and "output" (USD per million tokens); ignored',
  }));
}

/** Routed models whose deprecation date in the price table has come: their provider may no longer serve them. */
export function retiredRouteModels(config: SwitchboardConfig, prices: PriceTable, keyPrefix: string, today = new Date()): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const task of TASKS) {
    for (const ref of config.routes[task]) {
      const price = prices.lookup(ref.provider, ref.model);
      if (!price?.deprecationDate || !isDeprecated(price, today)) continue;
      problems.push({
        key: `${keyPrefix}routes.${task}`,
        message: `${formatModelRef(ref)} reached its deprecation date (${price.deprecationDate}, price table of ${prices.sourceDate}): its provider may no longer serve it; route a current model`,
      });
    }
  }
  return problems;
}

/**
 * Routed models that the price table (with switchboard.prices) does not know,
 * where it should: a model of OpenAI or Anthropic reached at their own API, or
 * of Bedrock. There an unknown id is most often a typo (`gpt-5.4-nanoo`) that
 * the provider will refuse too, or a model newer than the table, whose cost
 * would show as unpriced; either way the user wants to hear of it before the
 * first request. Models of a local or compatible server (a baseUrl elsewhere,
 * a custom provider) are unpriced by nature and said nothing of, and so is a
 * Bedrock ARN (a prompt router is priced by the model that answers).
 */
export function unpricedRouteModels(config: SwitchboardConfig, prices: PriceTable, keyPrefix: string, settingName: SettingNamer = editorSettingName): ConfigProblem[] {
  const pricesSetting = settingMention(settingName, 'prices');
  const pricesPlace = settingPlace(settingName, 'prices');
  const routes: Array<[string, readonly ModelRef[]]> = [
    ...TASKS.map((task): [string, readonly ModelRef[]] => [`routes.${task}`, config.routes[task]]),
    ...AUTO_ROUTED_TASKS.map((task): [string, readonly ModelRef[]] => [`auto.cheapRoutes.${task}`, config.auto.cheapRoutes[task]]),
  ];
  const problems: ConfigProblem[] = [];
  for (const [setting, refs] of routes) {
    for (const ref of refs) {
      if (!atVendorApi(config, ref.provider) || ref.model.startsWith('arn:') || prices.lookup(ref.provider, ref.model)) continue;
      const guess = closestId(ref.model, prices.modelIds(ref.provider));
      const unknown = `${formatModelRef(ref)} is not in the price table (of ${prices.sourceDate}) or ${pricesSetting}, so its cost shows as unpriced and the provider may not know it`;
      problems.push({
        key: `${keyPrefix}${setting}`,
        message: guess
          ? `${unknown}: did you mean ${ref.provider}:${guess}? If the id is right, give it a price ${pricesPlace} (${priceEntryHint(formatModelRef(ref))})`
          : `${unknown}: if the id is right, give it a price ${pricesPlace} (${priceEntryHint(formatModelRef(ref))})`,
      });
    }
  }
  return problems;
}

/** Every kind, for the editor, which warns about every setting problem alike. */
export function priceProblems(config: SwitchboardConfig, prices: PriceTable, keyPrefix: string, today = new Date()): ConfigProblem[] {
  return [
    ...incompletePriceOverrides(prices, keyPrefix),
    ...retiredRouteModels(config, prices, keyPrefix, today),
    ...unpricedRouteModels(config, prices, keyPrefix),
  ];
}

/**
 * The known id nearest to `model` by edit distance, when it is near enough to
 * be a typo of it (at most one edit in five characters, and three at most).
 */
function closestId(model: string, known: readonly string[]): string | undefined {
  const allowed = Math.min(3, Math.floor(model.length / 5));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const id of known) {
    if (Math.abs(id.length - model.length) >= bestDistance) continue;
    const distance = editDistance(model, id, bestDistance);
    if (distance < bestDistance) {
      best = id;
      bestDistance = distance;
    }
  }
  return best;
}
