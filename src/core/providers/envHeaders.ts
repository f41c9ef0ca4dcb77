/**
 * The OpenAI and Anthropic SDKs add the headers listed in OPENAI_CUSTOM_HEADERS
 * and ANTHROPIC_CUSTOM_HEADERS (one `Name: value` a line, set for other tools,
 * such as a company gateway's auth) to every request, whatever its host. A
 * provider of that kind here may be any server (OpenRouter, a local one, a
 * custom id), and its key goes only to it: those headers are cleared.
 */
export const CUSTOM_HEADERS_ENV = { openai: 'OPENAI_CUSTOM_HEADERS', anthropic: 'ANTHROPIC_CUSTOM_HEADERS' } as const;

/** The header names an SDK would read from its variable, parsed as the SDKs parse it. */
export function customHeaderNames(value: string | undefined): string[] {
  if (!value) return [];
  const names = new Set<string>();
  for (const line of value.split('\n')) {
    const colon = line.indexOf(':');
    const name = colon >= 0 ? line.slice(0, colon).trim() : '';
    if (name) names.add(name);
  }
  return [...names];
}

/** `defaultHeaders` that remove those headers again (the SDKs drop a header set to null). */
export function clearedHeaders(names: readonly string[] | undefined): Record<string, null> {
  return Object.fromEntries((names ?? []).map((name) => [name, null]));
}
