import { plural } from '../words';

/** A model whose requests in a report have no cost, and why. */
export interface UnpricedModel {
  /** `provider:model` */
  model: string;
  requests: number;
  reason: string;
}

/** "Unpriced, not in the total: openai:gpt-5.4-pro (3 requests): not in the price table …": one line, for the CLI and the dashboard. */
export function unpricedNote(models: readonly UnpricedModel[]): string | undefined {
  if (models.length === 0) return undefined;
  return `Unpriced, not in the total: ${models.map((m) => `${m.model} (${plural(m.requests, 'request')}): ${m.reason}`).join('; ')}`;
}
