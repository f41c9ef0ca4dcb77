import type { SwitchboardConfig } from '../config';
import { formatModelRef } from '../modelRef';
import type { ModelPrice, PriceTable } from '../prices/priceTable';
import { TASKS, type ModelRef, type Task } from '../types';

/**
 * The model a task's requests are compared with for "what routing saved":
 * the strong tier of its route, which is the route's first model (Auto, when
 * on, picks between that list and a cheap tier, so its strong tier is the
 * same first model). The one place that decides it: the dashboard, `switchboard
 * costs` and the budget's downgrade all ask here.
 */
export function strongTierOf(config: SwitchboardConfig, task: Task): ModelRef | undefined {
  return config.routes[task][0];
}

/** The strong tier's price per task; undefined where it is unpriced or the route is empty. */
export function strongTierPrices(config: SwitchboardConfig, prices: PriceTable): (task: Task) => ModelPrice | undefined {
  const cache = new Map<Task, ModelPrice | undefined>();
  return (task) => {
    if (!cache.has(task)) {
      const ref = strongTierOf(config, task);
      cache.set(task, ref ? prices.lookup(ref.provider, ref.model) : undefined);
    }
    return cache.get(task);
  };
}

/** Each task's strong tier as `provider:model`, for saying what savings are measured against. */
export function strongTierNames(config: SwitchboardConfig): Partial<Record<Task, string>> {
  const names: Partial<Record<Task, string>> = {};
  for (const task of TASKS) {
    const ref = strongTierOf(config, task);
    if (ref) names[task] = formatModelRef(ref);
  }
  return names;
}
