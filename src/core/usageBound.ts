import { costOf, formatUsd } from './cost';
import type { ModelPrice } from './prices/priceTable';
import type { GatewayName, Usage } from './types';

/**
 * The most tokens an honest bill for one request can hold, so that a broken or
 * hostile server's report (10^15 output tokens for "Hi") is priced at what the
 * request could have cost, not at a billion dollars that spends every budget.
 *
 * Never an estimate from the text: reasoning models (OpenAI's, Anthropic's
 * extended thinking) bill output tokens that are never streamed, so a short
 * answer may honestly cost thousands of tokens. Their limit is the request's
 * max output, which providers count reasoning and thinking tokens against.
 */

/**
 * The price table's context windows and output limits come from LiteLLM's
 * extract and are not exact upper bounds: it lists 200,000 input tokens for
 * Claude Sonnet 4.5, which takes 1,000,000 with Anthropic's 1M-context beta,
 * and 8,192 output tokens for Claude 3.7 Sonnet on Bedrock, which accepts
 * max_tokens of 131,071 there (16x). A model's figure bounds a report only
 * after this factor, so no honest bill is cut; an absurd one still is.
 */
export const MODEL_LIMIT_HEADROOM = 16;

/** The bounds a request's usage report is held to; a field is absent where none is known. */
export interface UsageLimits {
  outputTokens?: number;
  /** Input plus cache read and cache write tokens. */
  promptTokens?: number;
}

/**
 * Output: the request's own max output (max_tokens / max_completion_tokens /
 * Bedrock maxTokens: providers refuse or stop there) when it set one, else the
 * model's listed max output with headroom. Prompt: the model's listed context
 * window with headroom. Unknown model and no max: no bound.
 */
export function usageLimits(maxTokens: number | undefined, price: ModelPrice | undefined): UsageLimits {
  const requested = maxTokens !== undefined && Number.isFinite(maxTokens) && maxTokens > 0 ? maxTokens : undefined;
  const output = requested ?? withHeadroom(price?.maxOutputTokens);
  const prompt = withHeadroom(price?.maxInputTokens);
  return { ...(output !== undefined && { outputTokens: output }), ...(prompt !== undefined && { promptTokens: prompt }) };
}

function withHeadroom(listed: number | undefined): number | undefined {
  return listed !== undefined && Number.isFinite(listed) && listed > 0 ? listed * MODEL_LIMIT_HEADROOM : undefined;
}

/** What a report over a bound became: the figures as reported and the bounds they were priced at. */
export interface UsageOverBound {
  /** The provider's counts as it reported them (normalised: inputTokens without cached tokens). */
  reportedUsage: Partial<Usage>;
  /** The bounds exceeded: only the parts that were over. */
  usageBound: UsageLimits;
}

/**
 * `reported` with any count over its bound lowered to the bound, and what was
 * over; the report itself when nothing was (the usual case: a few comparisons
 * once per request, nothing per streamed chunk). A prompt over its bound is
 * scaled down in proportion across input, cache read and cache write, so the
 * parts still add up to the bound.
 */
export function boundReportedUsage(
  reported: Partial<Usage> | undefined,
  limits: UsageLimits,
): { usage: Partial<Usage> | undefined; over?: UsageOverBound } {
  if (!reported) return { usage: reported };
  const outputOver = limits.outputTokens !== undefined && (reported.outputTokens ?? 0) > limits.outputTokens;
  const prompt = (reported.inputTokens ?? 0) + (reported.cacheReadTokens ?? 0) + (reported.cacheWriteTokens ?? 0);
  const promptOver = limits.promptTokens !== undefined && prompt > limits.promptTokens;
  if (!outputOver && !promptOver) return { usage: reported };

  const usage: Partial<Usage> = { ...reported };
  const usageBound: UsageLimits = {};
  if (outputOver) usage.outputTokens = usageBound.outputTokens = limits.outputTokens!;
  if (promptOver) {
    const bound = (usageBound.promptTokens = limits.promptTokens!);
    const scale = bound / prompt;
    const cacheRead = Math.floor((reported.cacheReadTokens ?? 0) * scale);
    const cacheWrite = Math.floor((reported.cacheWriteTokens ?? 0) * scale);
    if (reported.cacheReadTokens !== undefined) usage.cacheReadTokens = cacheRead;
    if (reported.cacheWriteTokens !== undefined) usage.cacheWriteTokens = cacheWrite;
    usage.inputTokens = bound - cacheRead - cacheWrite;
  }
  return { usage, over: { reportedUsage: { ...reported }, usageBound } };
}

/** A gateway's cost figure that was more than the request could cost, and what it was priced at instead. */
export interface GatewayCostOverBound {
  /** The gateway's own figure, as it reported it. */
  gatewayCostUsd: number;
  /** The most the request could cost at the price table's rates, which it was priced at. */
  gatewayCostBoundUsd: number;
  /** 'dearest': the model has no price, so the bound is at MODEL_LIMIT_HEADROOM times the dearest rates the table knows. */
  gatewayCostBoundRates?: 'dearest';
  /**
   * The figure was less than the price table's rates make of the tokens the gateway counted, the bound it was
   * priced at (a floor, not a ceiling): a gateway's figure never lowers what the budgets count below the table's.
   */
  gatewayCostUnderTable?: true;
}

/** What providers add around each message and before the answer, at most (OpenAI's count is 3 or 4 a message). */
const FRAMING_TOKENS_PER_MESSAGE = 8;

/**
 * The most a request to a model the price table does not price could cost:
 * every byte of its prompt a token (a tokenizer's token is at least one byte
 * of text), each message's framing, and its max output, at
 * MODEL_LIMIT_HEADROOM times the dearest rates the table knows (so $480 and
 * $1,200 per million over its $30 and $75). It holds a gateway's figure for
 * such a model, which otherwise nothing bounded but $1,000 a request: a
 * broken or hostile gateway's $900 for "Hi" spent every budget at once. The
 * dearest models sold through gateways (o1-pro at $150 and $600) stay well
 * under it, so no honest bill is cut.
 */
export function unpricedGatewayBound(promptBytes: number, messages: number, maxOutputTokens: number, dearest: { input: number; output: number }): number {
  const promptTokens = promptBytes + messages * FRAMING_TOKENS_PER_MESSAGE;
  return ((promptTokens * dearest.input + maxOutputTokens * dearest.output) * MODEL_LIMIT_HEADROOM) / 1e6;
}

/**
 * A gateway's cost figure (OpenRouter's usage.cost, LiteLLM's header) held to
 * the most the request could cost at the price table's rates: its prompt as
 * counted (already held to its bound) and the most output it could produce.
 * A gateway's rates may honestly differ from the table's (its fees, another
 * upstream), so the cap sits at the output bound, not at the counted output:
 * it cuts only a figure no honest bill at those rates could reach, such as
 * one computed from token counts over their bound. With no price known
 * nothing says what it could cost, and the figure is taken as given.
 *
 * It is also held from below, to the table's price of the tokens counted: a
 * gateway that bills less for them (a LiteLLM proxy whose cost map lacks the
 * model reports 0; a broken or hostile one anything) would otherwise lower
 * what the budgets count, and so raise what they let through. An honest
 * discount is then counted at the table's price, over rather than under.
 */
export function boundGatewayCost(
  gatewayUsd: number,
  usage: Usage,
  limits: UsageLimits,
  price: ModelPrice | undefined,
  unpricedBoundUsd?: number,
): { costUsd: number; over?: GatewayCostOverBound } {
  const bound = costOf({ ...usage, outputTokens: Math.max(usage.outputTokens, limits.outputTokens ?? 0) }, price);
  if (bound === null) {
    // No price: only the ceiling at the dearest known rates (unpricedGatewayBound) says what it could cost.
    if (unpricedBoundUsd === undefined || gatewayUsd <= unpricedBoundUsd) return { costUsd: gatewayUsd };
    return { costUsd: unpricedBoundUsd, over: { gatewayCostUsd: gatewayUsd, gatewayCostBoundUsd: unpricedBoundUsd, gatewayCostBoundRates: 'dearest' } };
  }
  if (gatewayUsd > bound) return { costUsd: bound, over: { gatewayCostUsd: gatewayUsd, gatewayCostBoundUsd: bound } };
  const floor = costOf(usage, price)!;
  if (gatewayUsd >= floor) return { costUsd: gatewayUsd };
  return { costUsd: floor, over: { gatewayCostUsd: gatewayUsd, gatewayCostBoundUsd: floor, gatewayCostUnderTable: true } };
}

/** The parts of a ledger record that say a report was over its bound. */
export interface BoundedRecordFields extends Partial<GatewayCostOverBound> {
  reportedUsage?: Partial<Usage>;
  usageBound?: UsageLimits;
  gateway?: GatewayName;
}

/** Whether a record was priced at a bound: its token counts, or its gateway's cost figure, were over. */
export function isPricedAtBound(record: BoundedRecordFields): boolean {
  return record.usageBound !== undefined || record.gatewayCostUsd !== undefined;
}

const GATEWAY_LABELS: Record<GatewayName, string> = { openrouter: 'OpenRouter', litellm: 'LiteLLM' };

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What the user reads wherever such a record is shown (costs, the dashboard's
 * costliest requests, the status bar's request details, the log), or
 * undefined for a record priced as reported.
 */
export function usageBoundNote(record: BoundedRecordFields): string | undefined {
  const { reportedUsage: reported, usageBound: bound } = record;
  const notes: string[] = [];
  if (bound && reported && bound.outputTokens !== undefined && reported.outputTokens !== undefined) {
    notes.push(
      `the provider reported ${count(reported.outputTokens)} output tokens, more than the request could produce (${count(bound.outputTokens)}); priced at ${count(bound.outputTokens)}`,
    );
  }
  if (bound && reported && bound.promptTokens !== undefined) {
    const prompt = (reported.inputTokens ?? 0) + (reported.cacheReadTokens ?? 0) + (reported.cacheWriteTokens ?? 0);
    notes.push(
      `the provider reported ${count(prompt)} prompt tokens, more than the model's context window could take (${count(bound.promptTokens)}); priced at ${count(bound.promptTokens)}`,
    );
  }
  if (record.gatewayCostUsd !== undefined && record.gatewayCostBoundUsd !== undefined) {
    const gateway = record.gateway ? GATEWAY_LABELS[record.gateway] : 'the gateway';
    const rates = record.gatewayCostBoundRates === 'dearest' ? `${MODEL_LIMIT_HEADROOM} times the dearest rates in the price table, the model having no price of its own` : "the price table's rates";
    if (record.gatewayCostUnderTable) {
      notes.push(
        `${gateway} reported a cost of ${formatUsd(record.gatewayCostUsd)}, less than the tokens it counted cost at the price table's rates (${formatUsd(record.gatewayCostBoundUsd)}); counted at ${formatUsd(record.gatewayCostBoundUsd)}, as a gateway's figure never lowers what the budgets count`,
      );
    } else notes.push(
      `${gateway} reported a cost of ${formatUsd(record.gatewayCostUsd)}, more than the request could cost at ${rates} (${formatUsd(record.gatewayCostBoundUsd)}); priced at ${formatUsd(record.gatewayCostBoundUsd)}`,
    );
  }
  return notes.length ? notes.join('; ') : undefined;
}
