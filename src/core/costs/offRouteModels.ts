import { AUTO_ROUTED_TASKS, type SwitchboardConfig } from '../config';
import { formatModelRef } from '../modelRef';
import { cheapTier } from '../routing/autoRoute';
import { TASKS } from '../types';

/** A model of the ledger (`provider:model`) and how many requests it answered. */
export interface ModelRequests {
  model: string;
  requests: number;
}

/**
 * The ledger's models that none of `config`'s routes names, nor Auto's cheap tier of them, most requests first.
 * "What routing saved" prices Auto's cheap answers at these routes' strong tiers: a ledger written under other
 * routes (a local server, another provider, the user's own --config) is measured against routes it never used,
 * and `switchboard costs` says so rather than print a figure that reads as the user's own.
 */
export function modelsOnNoRoute(config: SwitchboardConfig, models: Iterable<ModelRequests>): ModelRequests[] {
  const routed = new Set<string>();
  for (const task of TASKS) for (const ref of config.routes[task]) routed.add(formatModelRef(ref));
  for (const task of AUTO_ROUTED_TASKS) for (const ref of cheapTier(config, task)) routed.add(formatModelRef(ref));
  return [...models].filter((line) => line.requests > 0 && !routed.has(line.model)).sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
}
