import type { ModelRef } from './types';

/**
 * Parses `provider:modelId`, splitting at the FIRST colon only: Bedrock ids
 * carry colons of their own (`amazon.nova-micro-v1:0`, ARNs).
 */
export function parseModelRef(text: string): ModelRef | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return undefined;
  const provider = text.slice(0, colon).trim();
  const model = text.slice(colon + 1).trim();
  if (!provider || !model || /\s/.test(provider)) return undefined;
  return { provider, model };
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.provider}:${ref.model}`;
}

/**
 * The short name people read in the status bar: `claude-haiku-4.5` rather
 * than `bedrock:arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0`.
 */
export function shortModelName(model: string): string {
  let name = model.slice(model.lastIndexOf('/') + 1);
  // Bedrock: drop the region prefix, the vendor and the version suffix.
  name = name.replace(/^(us|eu|apac|global|us-gov|jp|au|ca)\./, '');
  name = name.replace(/^(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|writer)\./, '');
  name = name.replace(/-v\d+(:\d+)?$/, '');
  // Dated snapshots read better without the date.
  name = name.replace(/-20\d{6}$/, '').replace(/-20\d\d-\d\d-\d\d$/, '');
  return name;
}
