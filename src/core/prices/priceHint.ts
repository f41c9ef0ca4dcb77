/**
 * The entry that prices `model` (`provider:model`) in switchboard.prices, or "prices" in a --config file: said
 * wherever a model is unpriced, so nobody has to look up the entry's shape (a model absent from the shipped table,
 * e.g. openai:gpt-5.4-pro, which the LiteLLM extract holds under no name, is priced only there).
 */
export function priceEntryHint(model: string): string {
  return `"${model}": { "input": …, "output": … }, in USD per million tokens`;
}
