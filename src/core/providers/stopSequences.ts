/**
 * Anthropic (directly and through Bedrock) rejects whitespace-only stop
 * sequences with a 400, yet "\n" is exactly what a single-line completion
 * wants. Such stops are dropped for these providers; the completion
 * post-processing cuts at the line end anyway.
 */
export function usableStops(stop: readonly string[] | undefined): string[] | undefined {
  const kept = stop?.filter((s) => s.trim() !== '');
  return kept && kept.length > 0 ? kept : undefined;
}
