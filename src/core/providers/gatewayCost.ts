import type { GatewayName } from '../types';

/**
 * Costs that OpenAI-compatible gateways report themselves. A gateway prices
 * what it actually billed (its own rates, discounts, BYOK fees), so its figure
 * beats the price table whenever it is given; anything that is not a finite
 * amount of dollars is ignored and the price table applies.
 */

/** LiteLLM's proxy sends the cost it computed in this response header. */
export const LITELLM_COST_HEADER = 'x-litellm-response-cost';

/** More than any single request plausibly costs: a figure above it is a unit mix-up, not a bill. */
const MAX_REQUEST_USD = 1000;

/** Dollars as a decimal number: digits, a fraction, an exponent (LiteLLM's Python float may write 1.2e-05). */
const DECIMAL = /^\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i;

export interface GatewayCost {
  costUsd: number;
  gateway: GatewayName;
}

/**
 * LiteLLM's header. It is sent before a streamed answer, so for a stream it
 * can only be what LiteLLM knew then: a positive figure is taken, a zero on a
 * stream is not (the answer that followed was not free).
 */
export function costFromLiteLLMHeader(value: string | null | undefined, streamed: boolean): GatewayCost | undefined {
  // A plain decimal, as LiteLLM writes it: Number() would also take "0x10", "0b1" or "+.5e1".
  if (value === null || value === undefined || !DECIMAL.test(value.trim())) return undefined;
  const usd = Number(value);
  if (!plausible(usd) || (streamed && usd === 0)) return undefined;
  return { costUsd: usd, gateway: 'litellm' };
}

/**
 * OpenRouter's `usage.cost`, in credits (one credit is one US dollar), in the
 * last chunk of a stream. With a key of the user's own (BYOK) the upstream
 * provider bills that key apart: `cost_details.upstream_inference_cost` is
 * added, so the ledger holds everything the request cost.
 */
export function costFromOpenRouterUsage(usage: unknown): GatewayCost | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const { cost, is_byok: byok, cost_details: details } = usage as { cost?: unknown; is_byok?: unknown; cost_details?: unknown };
  if (typeof cost !== 'number' || !plausible(cost)) return undefined;
  const upstream = byok === true && typeof details === 'object' && details !== null ? (details as { upstream_inference_cost?: unknown }).upstream_inference_cost : undefined;
  const total = cost + (typeof upstream === 'number' && plausible(upstream) ? upstream : 0);
  return { costUsd: total, gateway: 'openrouter' };
}

/** Whether `baseUrl` is OpenRouter's API, which is then asked for usage accounting. */
export function isOpenRouter(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'openrouter.ai' || host.endsWith('.openrouter.ai');
  } catch {
    return false;
  }
}

function plausible(usd: number): boolean {
  return Number.isFinite(usd) && usd >= 0 && usd <= MAX_REQUEST_USD;
}
