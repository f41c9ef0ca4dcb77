/**
 * The vocabulary every layer shares. Nothing here may import `vscode`:
 * the CLI, the benchmarks and the extension all run this core.
 */

/** The jobs Switchboard routes. Each has its own ordered list of models. */
export type Task = 'completion' | 'chat' | 'plan';
export const TASKS: readonly Task[] = ['completion', 'chat', 'plan'];

/** How a provider is spoken to. Built-in provider ids use the kind of the same name. */
export type ProviderKind = 'openai' | 'anthropic' | 'bedrock';

/** `provider:modelId`, split at the first colon (Bedrock ids contain colons). */
export interface ModelRef {
  provider: string;
  model: string;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** One request to one model, independent of provider. */
export interface ModelRequest {
  system?: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  stop?: string[];
  /**
   * Set for inline completions on models with native fill-in-the-middle:
   * the OpenAI-compatible adapter then calls `/v1/completions` with `suffix`
   * instead of chat. Other adapters ignore it and use `messages`.
   */
  fim?: { prefix: string; suffix: string };
}

/** Normalised token counts. `inputTokens` never includes cached input. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Every token of the prompt, cached or not: the "tokens in" shown to the user and the long-context threshold's measure. */
export function promptTokens(usage: Usage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

/** What a provider adapter yields while streaming. */
export type StreamEvent =
  /**
   * The provider accepted the request and began its answer (HTTP 200 and a
   * stream): from here on it bills the prompt, even if the stream breaks
   * before any text.
   */
  | { type: 'started' }
  | { type: 'text'; text: string }
  /**
   * A thinking model's reasoning, which the answer does not show (DeepSeek's
   * and Qwen's `reasoning_content`, Ollama's `reasoning`, Anthropic's
   * thinking, Bedrock's reasoningContent): only its length. It is progress,
   * not an answer: it keeps the time-to-first-token watchdog from firing,
   * and counts, as the output tokens it is billed as, toward the too-long cap
   * and an estimated usage.
   */
  | { type: 'reasoning'; chars: number }
  /**
   * The provider stopped the answer because it reached the request's max
   * output (OpenAI's finish_reason "length", Anthropic's and Bedrock's
   * stop_reason "max_tokens"): complete as a stream, but cut short as an answer.
   */
  | { type: 'max-tokens' }
  /** Usage reported so far; later events replace earlier fields. */
  | { type: 'usage'; usage: Partial<Usage> }
  /** The model that actually answered, when it differs from the one asked (Bedrock prompt routers). */
  | { type: 'model'; model: string }
  /**
   * What a gateway in front of the provider says the request cost, in USD
   * (OpenRouter's `usage.cost`, LiteLLM's `x-litellm-response-cost`): used
   * instead of the price table, and recorded as coming from the gateway.
   */
  | { type: 'cost'; costUsd: number; gateway: GatewayName };

/** Gateways whose own cost figures Switchboard reads. */
export type GatewayName = 'openrouter' | 'litellm';

/** A model the router tried and left, and why. */
export interface FailedAttempt {
  provider: string;
  model: string;
  error: string;
  /**
   * Set when the model was not asked at all: its provider could not be used (no key, a key withheld from its
   * host, an invalid setting), and `error` says why. Nothing was sent, nothing billed; listed so the record
   * tells why a model earlier in the route did not answer.
   */
  skipped?: true;
  /**
   * Set when the provider had accepted the request before it failed (the
   * stream broke or went quiet before any text): the usage it bills, estimated
   * as for a broken stream, and its cost (null: unpriced). The record's
   * costUsd includes it.
   */
  usage?: Usage;
  costUsd?: number | null;
}

export type Outcome = 'ok' | 'cancelled' | 'error';
