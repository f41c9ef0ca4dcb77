import type { ModelRef } from '../types';

/** Local servers' names, which a new user writes as the provider of a route ("ollama:llama3.1"). */
const LOCAL_SERVER_NAMES = new Set(['ollama', 'lmstudio', 'lm-studio', 'vllm', 'llamacpp', 'llama.cpp', 'llama-cpp', 'local']);

/**
 * What the user probably meant by a route's unknown provider: a misspelt known one (one or two letters off,
 * "opnai"), or a local server, which is reached through the openai provider pointed at it.
 */
export function unknownProviderHint(ref: ModelRef, known: ReadonlySet<string>): string {
  const name = ref.provider.toLowerCase();
  const near = [...known].find((id) => editDistance(name, id) <= 2);
  if (near) return `; did you mean "${near}:${ref.model}"?`;
  if (LOCAL_SERVER_NAMES.has(name)) {
    return `; a local server is reached as "openai:${ref.model}" with providers.openai.baseUrl set to its address (e.g. http://localhost:11434/v1), or as a provider of its own in providers.custom`;
  }
  return '';
}

/** Levenshtein distance, for names of a dozen letters at most. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
