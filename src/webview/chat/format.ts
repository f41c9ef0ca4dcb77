import type { AnswerFooter } from '../../shared/chatProtocol';

export function formatTokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

export function formatLatency(latencyMs: number): string {
  if (latencyMs < 1000) return `${Math.round(latencyMs)} ms`;
  if (latencyMs < 60_000) return `${(latencyMs / 1000).toFixed(1)} s`;
  const seconds = Math.round(latencyMs / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "claude-sonnet-5 (fallback from gpt-5.4)" */
export function formatAnsweredBy(footer: Pick<AnswerFooter, 'model' | 'requestedModel' | 'fellBack'>): string {
  return footer.fellBack ? `${footer.model} (fallback from ${footer.requestedModel})` : footer.model;
}

/** "~1,234 in / 56 out", with ~ when the provider reported no usage and counts were estimated. */
export function formatTokenCounts(footer: Pick<AnswerFooter, 'inputTokens' | 'outputTokens' | 'estimated'>): string {
  const approx = footer.estimated ? '~' : '';
  return `${approx}${formatTokens(footer.inputTokens)} in / ${approx}${formatTokens(footer.outputTokens)} out`;
}
