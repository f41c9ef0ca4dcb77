import { keyShapeProblem, otherVendorKey } from '../core/keyShape';
import type { KeyedProvider } from './secrets';

/**
 * What Set API Key says about a pasted key before it is stored. Plain functions (no VS Code) for the unit tests.
 *
 * Only the shape of a mistake is refused: every OpenAI-compatible server (OpenRouter, Groq, a gateway) has its own
 * key format, so a key is never refused for not looking like OpenAI's own.
 */
/**
 * The key input box's line under it. A stored key is used before the environment's (providerRegistry.ts): it once
 * said to leave the variable unset, which had a user clear a working variable for nothing.
 */
export function keyInputPrompt(envName: string): string {
  return `Stored in VS Code's secret storage, never in settings; used instead of ${envName} when that is set too.`;
}

export function keyProblem(trimmed: string): string | undefined {
  const problem = keyShapeProblem(trimmed);
  if (!problem) return undefined;
  if (problem.kind === 'assigned') return `Paste only the key, without "${problem.name}="`;
  if (problem.kind === 'spaced') return 'An API key has no spaces or line breaks inside it; paste it again in one piece';
  return 'Paste the key without the quotes around it';
}

/**
 * A key that looks like the other provider's: a warning, not a refusal (Anthropic's API also answers the OpenAI
 * SDK, and a custom server may take any key), shown while the box is still open.
 */
export function keyWarning(provider: KeyedProvider, trimmed: string): string | undefined {
  const other = otherVendorKey(provider, trimmed);
  if (other === 'anthropic') return 'This looks like an Anthropic key (sk-ant-…): store it with Set Anthropic API Key unless your OpenAI-compatible server takes it';
  if (other === 'openai') return 'This looks like an OpenAI key (Anthropic keys start with sk-ant-): store it with Set OpenAI API Key unless your Anthropic-compatible server takes it';
  return undefined;
}
