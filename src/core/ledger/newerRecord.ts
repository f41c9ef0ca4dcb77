import { formatUsd } from '../cost';
import { isCount, isObject, isTask, usageProblem } from '../recordShape';
import { recordProblem, type LedgerRecord, type LedgerSource } from './record';

/** The start of the warning for a line counted this way (warningsOnce.ts groups them by it). */
export const COUNTED_FOR_COST = 'counted for its cost only';

/**
 * A record written by a newer Switchboard (`v` above 1), shared through the same ledger (a newer CLI beside an
 * older window), counted for what it cost: skipped, its spend would be in no budget and no total of this version,
 * so a daily cap would let the newer one's spend through unseen. Its time, provider and cost are what a budget
 * needs; a field this version does not know is left out, and a task it does not know is counted as chat (said).
 * Undefined when even those are not readable: the line is skipped as before.
 */
export function newerRecordSpend(value: unknown): { record: LedgerRecord; note: string } | undefined {
  if (!isObject(value) || typeof value.v !== 'number' || !(value.v > 1)) return undefined;
  const { time, provider, model, costUsd } = value;
  if (typeof time !== 'string' || !Number.isFinite(Date.parse(time)) || typeof provider !== 'string' || typeof model !== 'string') return undefined;
  if (costUsd !== null && !isCount(costUsd)) return undefined;
  const task = isTask(value.task) ? value.task : 'chat';
  const usage = usageProblem(value.usage, 'usage') ? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } : (value.usage as LedgerRecord['usage']);
  const record: LedgerRecord = {
    v: 1,
    ...(typeof value.id === 'string' ? { id: value.id } : {}),
    time,
    task,
    provider,
    model,
    requestedModel: typeof value.requestedModel === 'string' ? value.requestedModel : `${provider}:${model}`,
    usage,
    usageEstimated: value.usageEstimated === true || usage !== value.usage,
    costUsd,
    latencyMs: isCount(value.latencyMs) ? value.latencyMs : 0,
    firstTokenMs: isCount(value.firstTokenMs) ? value.firstTokenMs : null,
    outcome: value.outcome === 'cancelled' || value.outcome === 'error' ? value.outcome : 'ok',
    attempts: [],
    ...(value.source === 'vscode' || value.source === 'cli' || value.source === 'bench' ? { source: value.source as LedgerSource } : {}),
  };
  if (recordProblem(record)) return undefined;
  const asChat = task === value.task ? '' : ` (its task ${JSON.stringify(value.task)} is new to this version: counted as chat)`;
  const cost = costUsd === null ? 'no known cost' : formatUsd(costUsd);
  return { record, note: `${COUNTED_FOR_COST} (${cost} on ${provider}): written by a newer Switchboard (version ${value.v})${asChat}` };
}
