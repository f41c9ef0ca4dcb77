import type { ModelRequest, Usage } from './types';

/**
 * Usage for requests whose provider never reported it: a cancelled or broken
 * stream, or a local server that sends no usage. The ledger marks such
 * records `usageEstimated: true`.
 */

/**
 * About four characters per token, rounded up: the usual rule of thumb for
 * English prose and code with the GPT and Claude tokenizers. It is cheap (no
 * tokenizer to ship or load) and good to roughly ±25% there; it undercounts
 * text in scripts with few characters per token (Chinese, Japanese: close to
 * one token per character), so such estimates run low.
 */
export function estimateTokens(text: string): number {
  return tokensForChars(text.length);
}

/** `estimateTokens` for text known by its length only (the chat panel's attach toggles). */
export function tokensForChars(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * Usage estimated from the text sent and received. Counts the provider did
 * report before the stream broke are kept where they are trustworthy: the
 * prompt counts (Anthropic and Bedrock send them when the stream starts)
 * replace the estimate; the output count reported mid-stream is only what had
 * been counted by then, so the larger of it and the estimate is used.
 */
export function estimateUsage(promptText: string, outputText: string, reported?: Partial<Usage>, hiddenOutputChars = 0): Usage {
  // Reasoning the model streamed but the answer does not show is billed as output too.
  const estimatedOutput = Math.ceil((outputText.length + hiddenOutputChars) / 4);
  const outputTokens = Math.max(reported?.outputTokens ?? 0, estimatedOutput);
  if (reported?.inputTokens !== undefined) {
    return {
      inputTokens: reported.inputTokens,
      outputTokens,
      cacheReadTokens: reported.cacheReadTokens ?? 0,
      cacheWriteTokens: reported.cacheWriteTokens ?? 0,
    };
  }
  // Without a report, nothing tells cached from fresh input: all of it is
  // counted as input, which is never cheaper than a cache read.
  return { inputTokens: estimateTokens(promptText), outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** Everything of a request that is billed as prompt, as one text for estimateUsage. */
export function promptTextOf(request: ModelRequest): string {
  const parts: string[] = [];
  if (request.system) parts.push(request.system);
  if (request.fim) parts.push(request.fim.prefix, request.fim.suffix);
  else for (const message of request.messages) parts.push(message.content);
  return parts.join('\n');
}

/**
 * estimateUsage for a request as the router holds it. `stopsAtMax`: its provider's API stops at the request's max
 * output with reasoning and thinking counted in it (OpenAI's max_completion_tokens, Anthropic's max_tokens, which
 * holds thinking's budget_tokens, Bedrock's maxTokens: see vendorApi.ts), so no bill holds more output than that
 * max, and the estimate is held to it. At four characters a token, 1,120 characters of reasoning and 40 of text
 * under a max of 200 were recorded as 290 tokens: more than the provider can bill, and than the budget reserved.
 * Any other server (a local one, a gateway, a custom provider) may ignore the max and bill what it sent: there the
 * text is the evidence, and it is counted whole.
 */
export function estimateRequestUsage(request: ModelRequest, outputText: string, reported?: Partial<Usage>, hiddenOutputChars = 0, stopsAtMax = false): Usage {
  const usage = estimateUsage(promptTextOf(request), outputText, reported, hiddenOutputChars);
  const max = request.maxTokens;
  // A request with no max of its own (0 or unset, as usageLimits reads it) has none to hold the estimate to.
  if (!stopsAtMax || !(Number.isFinite(max) && max > 0) || usage.outputTokens <= max) return usage;
  return { ...usage, outputTokens: max };
}
