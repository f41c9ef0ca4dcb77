import { editDistance } from '../editDistance';
import type { ModelRef } from '../types';

/** Local servers' names, which a new user writes as the provider of a route ("ollama:llama3.1"). */
const LOCAL_SERVER_NAMES = new Set(['ollama', 'lmstudio', 'lm-studio', 'vllm', 'llamacpp', 'llama.cpp', 'llama-cpp', 'local']);

/**
 * What the user probably meant by a route's unknown provider: a misspelt known one (one or two letters off,
 * "opnai"), or a local server, which is reached through the openai provider pointed at it.
 */
export function unknownProviderHint(ref: ModelRef, known: ReadonlySet<string>): string {
  const name = ref.provider.toLowerCase();
  // Counted up to 3 only: all that matters is whether it is 2 or less.
  const near = [...known].find((id) => editDistance(name, id, 3) <= 2);
  if (near) return `; did you mean "${near}:${ref.model}"?`;
  if (LOCAL_SERVER_NAMES.has(name)) {
    return `; a local server is reached as "openai:${ref.model}" with providers.openai.baseUrl set to its address (e.g. http://localhost:11434/v1), or as a provider of its own in providers.custom`;
  }
  return '';
}
