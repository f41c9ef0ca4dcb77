import type { AnswerFooter, AnswerRouting } from '../shared/chatProtocol';

/** One formatter for every count: toLocaleString builds one on each call (thousands per long table). */
const COUNT = new Intl.NumberFormat('en-US');

export function formatTokens(count: number): string {
  return COUNT.format(Math.round(count));
}

/** "~1,100 tokens": an estimate (estimateTokens), so two significant figures, no more. */
export function formatApproxTokens(count: number): string {
  const rounded = count < 100 ? count : Number(count.toPrecision(2));
  return `~${COUNT.format(rounded)} ${rounded === 1 ? 'token' : 'tokens'}`;
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

/** "cheap tier: short request (8 words), no code attached"; "model picked by you" for a manual pick. */
export function formatRouting(routing: AnswerRouting): string {
  if (routing.mode === 'manual' || !routing.tier) return 'model picked by you';
  const tier = routing.mode === 'retry' ? `${routing.tier} tier (retry)` : `${routing.tier} tier`;
  return routing.reasons.length > 0 && routing.mode === 'auto' ? `${tier}: ${routing.reasons.slice(0, 2).join(', ')}` : tier;
}

/** The footer's tooltip: how Auto decided, every reason and the score. */
export function formatRoutingTooltip(routing: AnswerRouting): string {
  if (routing.mode === 'manual' || !routing.tier) return 'You picked this model in the chat panel, so Auto did not choose.';
  if (routing.mode === 'retry') return `Asked again on the ${routing.tier} tier.`;
  const score = routing.score !== undefined ? ` (score ${routing.score.toFixed(2)})` : '';
  if (routing.handedOverFrom) {
    // The first reason says why the picked tier gave up; the rest are why Auto picked it.
    const [why, ...picked] = routing.reasons;
    return [
      `Auto picked the ${routing.handedOverFrom} tier${score}, which could not answer (${why?.replace(/^handed over from the \w+ tier: /, '') ?? 'it failed'}), so it handed this to the ${routing.tier} tier. It picked the ${routing.handedOverFrom} tier because:`,
      ...picked.map((reason) => `• ${reason}`),
    ].join('\n');
  }
  return [`Auto sent this to the ${routing.tier} tier${score} because:`, ...routing.reasons.map((reason) => `• ${reason}`)].join('\n');
}
