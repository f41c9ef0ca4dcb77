/**
 * A provider refusing a prompt as longer than its model's context window, told apart from other bad requests: the
 * model is healthy, and only a model with a larger window could take the prompt (the router's fallback reads it,
 * router/promptTooLong.ts). What each vendor sends:
 * - OpenAI, 400 `context_length_exceeded`: "This model's maximum context length is 128000 tokens. However, your
 *   messages resulted in 130021 tokens. …", or for GPT-5 "Input tokens exceed the configured limit of 272000 tokens.
 *   Your messages resulted in 289650 tokens. …"; vLLM and other compatible servers word it the first way too.
 * - Anthropic, 400 `invalid_request_error`: "prompt is too long: 208310 tokens > 200000 maximum", or "input length
 *   and `max_tokens` exceed context limit: 199759 + 8192 > 200000, …"; 413 `request_too_large` for a body over its
 *   32 MB (far past any window).
 * - Bedrock, 400 ValidationException: "Input is too long for requested model." (no numbers), or, for Claude, "The
 *   model returned the following errors: prompt is too long: 200049 tokens > 200000 maximum".
 * - llama.cpp's server, 400 `exceed_context_size_error`: "request (9000 tokens) exceeds the available context size
 *   (8192 tokens), try increasing it" (older builds: "the request exceeds the available context size, …").
 * Any 413 (a proxy's "Request Entity Too Large" too) counts: the request was refused for its size, not its model.
 */

/** What the refusal said of the sizes, where it said them. */
export interface PromptTooLong {
  /** The prompt's tokens as the provider counted them. */
  promptTokens?: number;
  /** The model's context window as the provider stated it. */
  limitTokens?: number;
}

const SAYS_TOO_LONG =
  /context_length_exceeded|maximum context length|context (length|window|limit)|input tokens exceed|(prompt|input|context) (is )?too long|too many (input )?tokens|exceeds the available context size/i;

const NUMBER = '(\\d[\\d,]*)';
const count = (text: string | undefined) => (text === undefined ? undefined : Number(text.replace(/,/g, '')));

/** [pattern, group of the prompt's tokens (0: none), group of the limit]. */
const SIZES: ReadonlyArray<[RegExp, number, number]> = [
  [new RegExp(`prompt is too long: ${NUMBER} tokens > ${NUMBER}`, 'i'), 1, 2],
  [new RegExp(`exceed context limit: ${NUMBER} \\+ ${NUMBER} > ${NUMBER}`, 'i'), 1, 3],
  [new RegExp(`configured limit of ${NUMBER} tokens\\. Your messages resulted in ${NUMBER}`, 'i'), 2, 1],
  [new RegExp(`maximum context length is ${NUMBER} tokens\\.? However, your messages resulted in ${NUMBER}`, 'i'), 2, 1],
  [new RegExp(`maximum context length is ${NUMBER} tokens.*?prompt contains at least ${NUMBER} input tokens`, 'i'), 2, 1],
  [new RegExp(`maximum context length is ${NUMBER} tokens.*?\\(${NUMBER} in (the|your) (messages|prompt)`, 'i'), 2, 1],
  [new RegExp(`maximum context length is ${NUMBER} tokens`, 'i'), 0, 1],
  [new RegExp(`request \\(${NUMBER} tokens\\) exceeds the available context size \\(${NUMBER} tokens\\)`, 'i'), 1, 2],
];

/**
 * The refusal's sizes when `words` (the provider's message), its error `code` or `status` say the prompt is too long
 * for the model; undefined for any other failure.
 */
export function promptTooLongIn(words: string | undefined, code?: string, status?: number): PromptTooLong | undefined {
  const text = words ?? '';
  if (status !== 413 && code !== 'context_length_exceeded' && code !== 'request_too_large' && !SAYS_TOO_LONG.test(text)) return undefined;
  for (const [pattern, promptGroup, limitGroup] of SIZES) {
    const found = pattern.exec(text);
    if (!found) continue;
    const promptTokens = promptGroup ? count(found[promptGroup]) : undefined;
    const limitTokens = count(found[limitGroup]);
    return { ...(promptTokens !== undefined && { promptTokens }), ...(limitTokens !== undefined && { limitTokens }) };
  }
  return {};
}
