import type { ConfigProblem, SwitchboardConfig } from '../config';
import { formatModelRef } from '../modelRef';
import { TASKS } from '../types';
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

/** Both kinds, for the editor, which warns about every setting problem alike. */
export function priceProblems(config: SwitchboardConfig, prices: PriceTable, keyPrefix: string, today = new Date()): ConfigProblem[] {
  return [...incompletePriceOverrides(prices, keyPrefix), ...retiredRouteModels(config, prices, keyPrefix, today)];
}
