import type { ProviderKind } from '../types';

/**
 * Which models get the native fill-in-the-middle form (`/v1/completions` with
 * `suffix`): a fact about providers and models, read by the OpenAI-compatible
 * adapter when it sends and by the completion engine when it builds the prompt.
 */

/** Provider kinds with no fill-in-the-middle endpoint. */
const CHAT_ONLY_PROVIDERS = new Set(['anthropic', 'bedrock']);

/** Chat families that never do FIM, even behind an OpenAI-compatible endpoint. */
const CHAT_MODELS = /claude|gpt|\bo[1-9]\b|nova|titan/i;

/** Code models trained for fill-in-the-middle, as providers name them. */
const FIM_MODELS =
  /codestral|deepseek-coder|qwen2\.5-coder|qwen-2\.5-coder|qwen3-coder|codeqwen|starcoder|codellama|code-llama|codegemma|granite-code|granite-\d+(?:\.\d+)?b?-code|stable-code|santacoder|refact|codegeex/i;

/**
 * True when the model should get the native FIM form. The provider's `fim`
 * setting decides when it is set either way; when unset, known FIM code models
 * served through an OpenAI-compatible endpoint qualify by name.
 */
export function isNativeFimModel(provider: ProviderKind | string, model: string, providerFim?: boolean): boolean {
  if (CHAT_ONLY_PROVIDERS.has(provider) || CHAT_MODELS.test(model)) return false;
  if (providerFim !== undefined) return providerFim;
  return FIM_MODELS.test(model);
}
