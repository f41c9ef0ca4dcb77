import { costOf, roundUsd } from '../cost';
import type { LedgerRecord } from '../ledger';
import { isAssumedFree, isLocalPrice, type PriceTable } from '../prices/priceTable';
import { estimateRequestUsage, promptTextOf } from '../usageEstimate';
import { boundGatewayCost, boundReportedUsage, unpricedGatewayBound, usageLimits } from '../usageBound';
import type { FailedAttempt, ModelRef, ModelRequest, Outcome, Usage } from '../types';
import type { GatewayCost } from './attempt';

/* What a request's ledger record says it used and cost: reported usage held to what an honest bill can hold, an estimate where none came, a gateway's own figure where it is credible. */

/** Usage and cost of an attempt that failed after the provider began its answer. */
export function billedAttempt(
  prices: PriceTable,
  ref: ModelRef,
  request: ModelRequest,
  reported: Partial<Usage> | undefined,
  reasoningChars: number,
  stopsAtMax = false,
): Pick<FailedAttempt, 'usage' | 'costUsd'> {
  const price = prices.lookup(ref.provider, ref.model);
  const usage = estimateRequestUsage(request, '', boundReportedUsage(reported, usageLimits(request.maxTokens, price)).usage, reasoningChars, stopsAtMax);
  return { usage, costUsd: costOf(usage, price) };
}

/** The usage and cost fields of a record for an answer from `ref` (or an attempt that ended it). */
export function usageFields(
  prices: PriceTable,
  ref: ModelRef,
  request: ModelRequest,
  text: string,
  reported: Partial<Usage> | undefined,
  firstTokenMs: number | null,
  outcome: Outcome,
  gatewayCost?: GatewayCost,
  reasoningChars = 0,
  /** The provider's API stops at the request's max output, reasoning included (see estimateRequestUsage). */
  stopsAtMax = false,
): Partial<LedgerRecord> & Pick<LedgerRecord, 'outcome'> {
  // Providers report usage at the end of a stream; a cancelled or broken
  // stream, or a local server that never reports it, gets an estimate
  // from the text sent and received (keeping what was reported), and says so.
  const price = prices.lookup(ref.provider, ref.model);
  // A local server's or a `:free` model's $0 is assumed, not published rates: a gateway's own figure for it
  // (a LiteLLM proxy on this machine) is held to what any unpriced model could cost, not cut to $0.
  const ratesPrice = isAssumedFree(price) ? undefined : price;
  // A count no honest bill could hold is priced at the most the request could
  // have cost, never estimated from the text (hidden reasoning is billed too).
  const limits = usageLimits(request.maxTokens, price);
  const { usage: trusted, over } = boundReportedUsage(reported, limits);
  const complete = outcome === 'ok' && trusted?.inputTokens !== undefined && trusted.outputTokens !== undefined;
  const usage = complete ? completeUsage(trusted) : estimateRequestUsage(request, text, trusted, reasoningChars, stopsAtMax);
  // A gateway's own figure is what was billed: it beats usage × the price
  // table, unless it is more than the request could cost at the table's rates,
  // or less than its counted tokens at them (it never lowers what budgets count).
  // A $0 for tokens of a model nobody priced (not a `:free` one, not a local server's) is no bill: a gateway whose cost
  // map lacks the model says so. Taken, it would count as free where the budgets count such a request at
  // budget.unpricedEstimate (or refuse it), so it is left unpriced, as with no figure at all.
  const noBill = gatewayCost?.costUsd === 0 && price === undefined && usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens > 0;
  const gateway = gatewayCost && !noBill ? boundGatewayCost(gatewayCost.costUsd, usage, limits, ratesPrice, ratesPrice ? undefined : unpricedCeiling(request, prices)) : undefined;
  const costUsd = gateway ? gateway.costUsd : costOf(usage, price);
  let costSource: Pick<LedgerRecord, 'costSource' | 'tableRateOnLocalServer' | 'gateway' | 'gatewayCostUsd' | 'gatewayCostBoundUsd' | 'gatewayCostBoundRates' | 'gatewayCostUnderTable'> =
    costUsd === null ? {} : { costSource: isLocalPrice(price) ? 'local' : 'price-table', ...(prices.isTableRateOnLocalServer(ref.provider, price) && { tableRateOnLocalServer: true as const }) };
  if (gatewayCost && gateway) {
    // Over its cap (or under its floor), the gateway's figure is kept beside the table's price it was held to.
    costSource = gateway.over ? { costSource: 'price-table', gateway: gatewayCost.gateway, ...gateway.over } : { costSource: 'gateway', gateway: gatewayCost.gateway };
  }
  return {
    provider: ref.provider,
    model: ref.model,
    usage,
    usageEstimated: !complete,
    ...over,
    costUsd,
    ...costSource,
    firstTokenMs,
    outcome,
  };
}

/**
 * What a request cost: the answer (undefined when none came) plus every
 * failed attempt the provider billed. Unpriced parts are left out; null only
 * when nothing of it has a known price (unpriced, not free). A request with
 * no answer and nothing billed cost nothing; one whose only billed attempts
 * have no price cost something unknown, never $0.
 */
export function totalCost(answer: number | null | undefined, attempts: readonly FailedAttempt[]): number | null {
  let total = answer === undefined ? (attempts.some((attempt) => attempt.usage) ? null : 0) : answer;
  for (const attempt of attempts) {
    if (typeof attempt.costUsd === 'number') total = (total ?? 0) + attempt.costUsd;
  }
  return total === null ? null : roundUsd(total);
}

function completeUsage(usage: Partial<Usage>): Usage {
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cacheReadTokens: usage.cacheReadTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
  };
}

/** unpricedGatewayBound for `request`: what a gateway's figure for a model without a price is held to. */
function unpricedCeiling(request: ModelRequest, prices: PriceTable): number {
  const messages = request.fim ? 1 : request.messages.length + (request.system ? 1 : 0);
  return unpricedGatewayBound(Buffer.byteLength(promptTextOf(request), 'utf8'), messages, request.maxTokens, prices.dearestRates());
}
