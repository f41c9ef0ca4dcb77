import type { BudgetConfig, SwitchboardConfig } from '../config';
import { costOf } from '../cost';
import type { ModelPrice, PriceTable } from '../prices/priceTable';
import type { ModelRef, ModelRequest } from '../types';
import { promptTextOf } from '../usageEstimate';

/** The stated estimate an unpriced model counts at under a budget, as a price. */
export function unpricedPriceOf(budget: BudgetConfig): ModelPrice | undefined {
  if (budget.unpriced !== 'estimate') return undefined;
  return { input: budget.unpricedEstimate.input, output: budget.unpricedEstimate.output, source: 'switchboard.budget.unpricedEstimate' };
}

/**
 * `provider:model` when a worst case on `ref` counts it at the stated estimate (it has no price, and
 * budget.unpriced is "estimate"), so a refusal can say the figure is assumed; undefined when it has a price.
 */
export function estimatedModelOf(ref: ModelRef, prices: PriceTable, unpricedPrice: ModelPrice | undefined): string | undefined {
  return unpricedPrice !== undefined && prices.lookup(ref.provider, ref.model) === undefined ? `${ref.provider}:${ref.model}` : undefined;
}

/**
 * The most `request` can cost on `ref`: its prompt (admissionPromptTokens,
 * an estimate that leans high) and every output token it may generate.
 * Reserved against budgets while the request is in flight. null: the model
 * has no price and no estimate stands in for one.
 */
export function worstCaseCost(request: ModelRequest, ref: ModelRef, prices: PriceTable, unpricedPrice?: ModelPrice): number | null {
  return worstCaseOfSize(admissionPromptTokens(request), request.maxTokens, ref, prices, unpricedPrice);
}

/** What providers add around each message (its role and separators; OpenAI's count is 3 or 4), and before the answer. */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REQUEST = 3;

/**
 * The prompt's tokens as a budget should reserve them: higher than the four
 * characters a token that estimates a recorded usage (usageEstimate.ts), since
 * an estimate below the bill lets a request pass a limit by the difference.
 * Measured against a real tokenizer (o200k and cl100k), four characters a token
 * was within a few percent for code and prose, but a third of the count for
 * Chinese and Japanese (about 1.3 characters a token) and two thirds for
 * number-dense JSON or lock files. So: letters and white space at four a
 * token, digits and punctuation at two, every other character (outside
 * ASCII) a token of its own, and each message's framing; from 0.8 of the
 * real count (base64 hashes) to 1.4 (Chinese), 1.05 to 1.25 for code and prose.
 */
export function admissionPromptTokens(request: ModelRequest): number {
  // A completion in the fill-in-the-middle form is one prompt, not messages.
  const messages = request.fim ? 1 : request.messages.length + (request.system ? 1 : 0);
  return admissionTextTokens(promptTextOf(request)) + framingTokens(messages);
}

/** admissionPromptTokens' count of the text alone. */
function admissionTextTokens(text: string): number {
  let words = 0;
  let symbols = 0;
  let other = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128) other++;
    else if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 32 || code === 10 || code === 9 || code === 13) words++;
    else symbols++;
  }
  return Math.ceil(words / 4 + symbols / 2) + other;
}

function framingTokens(messages: number): number {
  return messages * TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST;
}

/**
 * The most admissionPromptTokens counts for a prompt of `chars` characters
 * (UTF-16 units) in `messages` messages: each character at the estimate's
 * dearest rate, a token (a character outside ASCII). What a request known only
 * by its size is reserved at, so it is never less than the request, once
 * built, is admitted at: at four characters a token, ghost text in a file in
 * Chinese or Japanese passed the pause and was then refused, an error record
 * per typing pause.
 */
export function mostAdmissionTokens(chars: number, messages: number): number {
  return chars * MOST_TOKENS_PER_CHAR + framingTokens(messages);
}

/** The most admissionTextTokens counts for one character. */
const MOST_TOKENS_PER_CHAR = 1;

/** `worstCaseCost` for a request known by its prompt's token estimate and its max output. */
function worstCaseOfSize(inputTokens: number, maxTokens: number, ref: ModelRef, prices: PriceTable, unpricedPrice?: ModelPrice): number | null {
  const price = prices.lookup(ref.provider, ref.model) ?? unpricedPrice;
  return costOf({ inputTokens, outputTokens: maxTokens, cacheReadTokens: 0, cacheWriteTokens: 0 }, price);
}

/**
 * The cheapest of `models` for `request` (by its worst-case cost; unpriced
 * models by the stated estimate, or last without one): the one model a route
 * keeps under the budget's `downgrade` action. Ties keep the route's order.
 */
export function cheapestModel(models: readonly ModelRef[], request: ModelRequest, prices: PriceTable, unpricedPrice?: ModelPrice): ModelRef | undefined {
  let best: { ref: ModelRef; usd: number } | undefined;
  for (const ref of models) {
    const usd = worstCaseCost(request, ref, prices, unpricedPrice) ?? Number.POSITIVE_INFINITY;
    if (!best || usd < best.usd) best = { ref, usd };
  }
  return best?.ref;
}

/** A completion request's messages at most: the instructions and the user's message (one prompt in the FIM form). */
const COMPLETION_MESSAGES = 2;

/**
 * Room a completion prompt's own instructions and markers take besides the
 * document's text (the hole-filling prompt is the longer one): generous, so
 * the stand-in below is not smaller than a real completion request.
 */
const COMPLETION_PROMPT_CHARS = 4_000;

/**
 * How many times its own length related snippets may take in a prompt: in the
 * fill-in-the-middle form each of their lines becomes a comment, and a block
 * comment (`<!--  -->`) around a line of one character makes it ten.
 */
const SNIPPET_COMMENT_FACTOR = 10;

/**
 * The worst case of the largest inline completion request the settings allow
 * on `ref`: every character of context it may send and every output token it
 * may ask for. It stands in for the request before one is built, when
 * deciding whether ghost text may be asked for at all under a budget; counted
 * from the sizes alone, since it is asked on every typing pause, by the
 * admission's estimate at its dearest (mostAdmissionTokens; null: the model is
 * unpriced and no estimate stands in).
 */
export function largestCompletionCost(completion: SwitchboardConfig['completion'], ref: ModelRef, prices: PriceTable, unpricedPrice?: ModelPrice): number | null {
  const chars = completion.prefixChars + completion.suffixChars + completion.contextChars * SNIPPET_COMMENT_FACTOR + COMPLETION_PROMPT_CHARS;
  return worstCaseOfSize(mostAdmissionTokens(chars, COMPLETION_MESSAGES), completion.maxTokens, ref, prices, unpricedPrice);
}
