import { formatRecordCost } from '../core/cost';
import type { RouteResult } from '../core/router';
import { describeRouting, shownReasonsOf, type RoutePlan } from '../core/routing/autoRoute';
import { promptTokens } from '../core/types';
import { usageBoundNote } from '../core/usageBound';

/**
 * The closing line of an Ask or Plan document: who answered, what it cost, how
 * long it took, and Auto's tier and reasons; or why there is no answer. A cost
 * priced at a bound is marked beside the figure and explained on the next line:
 * a text editor has no hover, and the reader should not take the figure for
 * the provider's own. `simulated`: the sandbox's fake providers answered.
 */
export function answerSignature(result: RouteResult, routed: Pick<RoutePlan, 'shownReasons'>, { simulated = false }: { simulated?: boolean } = {}): string {
  const r = result.record;
  if (r.outcome === 'error' && !result.text) return `\n\n---\n**Switchboard could not answer:** ${result.error ?? 'unknown error'}\n`;
  const fellBack = r.requestedModel && r.requestedModel !== `${r.provider}:${r.model}` ? ` (route's first choice: ${r.requestedModel})` : '';
  const routing = r.routing ? ` · ${describeRouting(r.routing, shownReasonsOf(r.routing, routed))}` : '';
  // A stream that ended properly, yet not the whole answer: said, or the reader takes the cut for the end.
  const cut = r.maxTokensReached !== undefined ? `Cut at the ${r.maxTokensReached.toLocaleString('en-US')}-token limit (switchboard.${r.task}.maxTokens). ` : '';
  const state = `${r.outcome === 'cancelled' ? 'Stopped. ' : ''}${r.outcome === 'error' ? `Interrupted: ${result.error}. ` : ''}${cut}`;
  const bound = usageBoundNote(r);
  // The sandbox's fake providers answered (SWITCHBOARD_SIMULATED): the figure is what the model would have
  // charged, and said so in the chat footer's words, or a reader of the document takes it for a bill.
  const cost = `${formatRecordCost(r)}${r.usageEstimated ? ' (estimated)' : ''}${bound ? ' (priced at a bound)' : ''}${simulated ? ' (simulated, not billed)' : ''}`;
  const line = `_${state}Answered by ${r.provider}:${r.model}${fellBack} · ${cost} · ${promptTokens(r.usage)} in / ${r.usage.outputTokens} out · ${(r.latencyMs / 1000).toFixed(1)} s${routing}_`;
  return `\n\n---\n${line}\n${bound ? `\n_Priced at a bound: ${bound}._\n` : ''}`;
}

/**
 * The signature an answer carries while it is written: Ask and Plan open their document with it, stream the
 * answer in above it, and replace it with answerSignature's line at the end. An answer saved before it ended
 * (Save As while streaming) thus carries a signature from its first byte, and its preview stays protected
 * (answerPreview.ts); left in a file saved mid-answer, it says truthfully where the answer stood.
 */
export const PENDING_SIGNATURE = '\n\n---\n_Switchboard is writing this answer…_\n';

/**
 * What takes the pending signature's place when Switchboard itself failed while writing (not the provider: the
 * router reports those in answerSignature's words), so that no saved copy says the answer is still coming.
 */
export const FAILED_WRITING_SIGNATURE = '\n\n---\n_Stopped. Switchboard failed while writing this answer; its log says why._\n';

/**
 * Whether `text` holds a signature line as answerSignature writes it: a rule, then the line that opens with
 * one of its fixed starts. The Markdown preview keeps an answer's protections for a document that carries
 * one wherever it was saved (answerPreview.ts); the starts alone are matched, since an error's text may run over
 * several lines. Anyone can write such a line, and that is harmless: all it earns a document is a preview
 * that loads nothing remote and shows hidden characters.
 */
export function carriesAnswerSignature(text: string): boolean {
  return SIGNATURE_START.test(text);
}

const SIGNATURE_START = /^---\r?\n(?:_(?:Answered by |Stopped\. |Interrupted: |Cut at the |Switchboard is writing )|\*\*Switchboard could not answer:\*\* )/m;
